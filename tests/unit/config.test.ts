import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, dataDirOf, parseEnv } from '@/lib/config/env-schema';
import { databaseFile, dataDir, loadEnv } from '@/lib/config/load-env';

function problemsOf(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

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

  it('accepts only SQLite for now, and says so plainly for PostgreSQL (issue #10)', () => {
    expect(parseEnv({ DATABASE_URL: 'file:/var/lib/darkroom/db.sqlite' }).DATABASE_URL).toBe('file:/var/lib/darkroom/db.sqlite');
    for (const url of ['postgres://u:p@db/darkroom', 'postgresql://db/darkroom', 'POSTGRES://db/x']) {
      expect(problemsOf({ DATABASE_URL: url }), url).toEqual([
        'DATABASE_URL: PostgreSQL support is not in this build yet (issue #10); use file:<path> (SQLite), e.g. file:./data/darkroom.db',
      ]);
    }
    for (const url of ['mysql://db/x', 'file:', './data/darkroom.db']) {
      expect(problemsOf({ DATABASE_URL: url }), url).toEqual(['DATABASE_URL: must be file:<path> (SQLite), e.g. file:./data/darkroom.db']);
    }
    // Never the value itself: it may carry a password.
    expect(problemsOf({ DATABASE_URL: 'postgres://user:s3cret@db/x' }).join()).not.toContain('s3cret');
  });
});

describe('loadEnv (the one accessor: app, proxy and scripts)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('parses once per process and shares the result across module instances (bundles)', async () => {
    vi.stubEnv('PORT', '4123');
    const first = loadEnv();
    expect(first.PORT).toBe(4123);
    expect(loadEnv()).toBe(first); // cached, not parsed again
    // A second module instance, as the proxy bundle and the app bundle are: the same parsed object.
    vi.resetModules();
    const again = await import('@/lib/config/load-env');
    expect(again.loadEnv()).toBe(first);
    // The server-only re-export the app uses is the same accessor.
    const app = await import('@/lib/config/env');
    expect(app.env()).toBe(first);
  });

  it('parses again only when a variable it reads changed (tests do that; a server does not)', () => {
    vi.stubEnv('PORT', '4124');
    const before = loadEnv();
    vi.stubEnv('SOME_UNRELATED_VARIABLE', 'x');
    expect(loadEnv()).toBe(before);
    vi.stubEnv('DATABASE_URL', 'file:/srv/darkroom/db.sqlite');
    const after = loadEnv();
    expect(after).not.toBe(before);
    expect(after.DATABASE_URL).toBe('file:/srv/darkroom/db.sqlite');
    expect(databaseFile()).toBe('/srv/darkroom/db.sqlite');
    expect(dataDir()).toBe('/srv/darkroom');
  });

  it('throws ConfigError naming the variable on every call while a value is bad', () => {
    vi.stubEnv('DATABASE_URL', 'postgresql://db/darkroom');
    expect(() => loadEnv()).toThrow(ConfigError);
    expect(() => loadEnv()).toThrow(/DATABASE_URL: PostgreSQL support is not in this build yet/);
    vi.stubEnv('DATABASE_URL', 'file:./data/darkroom.db');
    expect(loadEnv().DATABASE_URL).toBe('file:./data/darkroom.db');
  });
});
