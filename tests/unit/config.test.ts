import { describe, expect, it } from 'vitest';
import { ConfigError, dataDirOf, parseEnv } from '@/lib/config/env-schema';

describe('configuration', () => {
  it('has working defaults when nothing is set (demo mode)', () => {
    expect(parseEnv({})).toEqual({
      FREEPIK_API_KEY: undefined,
      FREEPIK_API_BASE_URL: 'https://api.freepik.com',
      FREEPIK_API_KEY_HEADER: 'x-freepik-api-key',
      FREEPIK_WEBHOOK_SECRET: undefined,
      PUBLIC_BASE_URL: undefined,
      ALLOWED_HOSTS: [],
      DATABASE_URL: 'file:./data/darkroom.db',
      APP_PASSWORD: undefined,
      TASK_TIMEOUT_MINUTES: 10,
      PORT: 3000,
    });
  });

  it('treats empty values (a copied .env.example) as unset', () => {
    expect(parseEnv({ FREEPIK_API_KEY: '', PORT: '', PUBLIC_BASE_URL: ' ' }).FREEPIK_API_KEY).toBeUndefined();
  });

  it('accepts the rebranded base URL and header', () => {
    const env = parseEnv({ FREEPIK_API_BASE_URL: 'https://api.magnific.com/', FREEPIK_API_KEY_HEADER: 'X-Magnific-Api-Key' });
    expect(env.FREEPIK_API_BASE_URL).toBe('https://api.magnific.com');
    expect(env.FREEPIK_API_KEY_HEADER).toBe('x-magnific-api-key');
  });

  it('names every bad variable without echoing secret values', () => {
    let error: unknown;
    try {
      parseEnv({ FREEPIK_API_BASE_URL: 'ftp://x', PORT: '70000', APP_PASSWORD: 'pw-1234', FREEPIK_API_KEY: 'k-abc' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['FREEPIK_API_BASE_URL', 'PORT', 'APP_PASSWORD', 'FREEPIK_API_KEY']) expect(message).toContain(name);
    expect(message).not.toContain('pw-1234');
    expect(message).not.toContain('k-abc');
  });

  it('keeps pictures beside the SQLite file', () => {
    expect(dataDirOf({ DATABASE_URL: 'file:./data/darkroom.db' }, '/srv/app')).toBe('/srv/app/data');
    expect(dataDirOf({ DATABASE_URL: 'file:/var/lib/darkroom/db.sqlite' }, '/srv/app')).toBe('/var/lib/darkroom');
  });
});
