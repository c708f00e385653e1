import { unstable_doesMiddlewareMatch } from 'next/experimental/testing/server';
import { describe, expect, it } from 'vitest';
import { config } from '@/proxy';

const runsOn = (url: string) => unstable_doesMiddlewareMatch({ config, url });

describe('proxy.ts matcher', () => {
  it('runs on pages, the login page and every API route', () => {
    for (const url of [
      '/',
      '/?q=cat',
      '/login',
      '/anything/else',
      '/api/tasks',
      '/api/tasks/summary?from=2026-10',
      '/api/boards',
      '/api/tasks/0b7c8a4e-1111-4222-8333-944455556666/boards',
      '/api/spending',
      '/settings',
      '/api/tasks/0b7c8a4e-1111-4222-8333-944455556666',
      '/api/images/x?w=640',
      '/api/events',
      '/api/status',
      '/api/export',
      '/api/webhooks/freepik/x',
      '/api/importer',
      '/api/import/x',
      '/_next/image?url=%2Fapi%2Fimages%2Fx&w=640&q=75',
    ]) {
      expect(runsOn(url), url).toBe(true);
    }
  });

  it('skips build assets, the icon, /api/import and the webhook (which check Host, and import the session, themselves)', () => {
    for (const url of ['/_next/static/chunks/main.js', '/_next/static/css/app.css', '/icon.svg', '/api/import', '/api/webhooks/freepik']) {
      expect(runsOn(url), url).toBe(false);
    }
  });
});
