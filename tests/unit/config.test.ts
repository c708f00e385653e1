import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, dataDirOf, parseEnv, storageLocationOf } from '@/lib/config/env-schema';
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
      STORAGE_URL: undefined,
      S3_FORCE_PATH_STYLE: false,
      TRUST_PROXY: 0,
      APP_PASSWORD: undefined,
      TASK_TIMEOUT_MINUTES: 10,
      TASK_LEASE_SECONDS: 90,
      PORT: 3000,
    });
  });

  it('resolves where pictures are stored: beside the database by default, a directory, or an S3 bucket and prefix', () => {
    const env = (extra: Record<string, string>) => parseEnv({ DATABASE_URL: 'file:/srv/darkroom/db.sqlite', ...extra });
    expect(storageLocationOf(env({}), '/app')).toEqual({ kind: 'file', dir: '/srv/darkroom' });
    expect(storageLocationOf(env({ STORAGE_URL: 'file:./pictures' }), '/app')).toEqual({ kind: 'file', dir: '/app/pictures' });
    expect(storageLocationOf(env({ STORAGE_URL: 's3://darkroom' }), '/app')).toEqual({ kind: 's3', bucket: 'darkroom', prefix: '' });
    expect(storageLocationOf(env({ STORAGE_URL: 's3://darkroom/team-a/' }), '/app')).toEqual({
      kind: 's3',
      bucket: 'darkroom',
      prefix: 'team-a/',
    });
    for (const bad of ['s3://', 'http://bucket', 'S3://Bucket', 'bucket'])
      expect(problemsOf({ STORAGE_URL: bad }).join(), bad).toMatch(/^STORAGE_URL:/);
    expect(parseEnv({ S3_FORCE_PATH_STYLE: 'true' }).S3_FORCE_PATH_STYLE).toBe(true);
    expect(problemsOf({ S3_FORCE_PATH_STYLE: 'yes' }).join()).toMatch(/^S3_FORCE_PATH_STYLE:/);
    expect(parseEnv({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(problemsOf({ TRUST_PROXY: '-1' }).join()).toMatch(/^TRUST_PROXY:/);
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

  it('keeps local data in ./data, or STORAGE_URL’s directory, when the database is PostgreSQL', () => {
    expect(dataDirOf({ DATABASE_URL: 'postgresql://db/darkroom' }, '/srv/app')).toBe('/srv/app/data');
    expect(dataDirOf({ DATABASE_URL: 'postgresql://db/darkroom', STORAGE_URL: 'file:/var/lib/darkroom/' }, '/srv/app')).toBe(
      '/var/lib/darkroom',
    );
    expect(dataDirOf({ DATABASE_URL: 'postgres://db/darkroom', STORAGE_URL: 's3://bucket' }, '/srv/app')).toBe('/srv/app/data');
  });

  it('selects the database by the scheme of DATABASE_URL: file: is SQLite, postgres:// and postgresql:// are PostgreSQL', () => {
    expect(parseEnv({ DATABASE_URL: 'file:/var/lib/darkroom/db.sqlite' }).DATABASE_URL).toBe('file:/var/lib/darkroom/db.sqlite');
    for (const url of [
      'postgres://u:p@db/darkroom',
      'postgresql://db/darkroom',
      'POSTGRES://db:5433/x',
      'postgresql://u:p%40ss@10.0.0.5/x?sslmode=require',
    ]) {
      expect(parseEnv({ DATABASE_URL: url }).DATABASE_URL, url).toBe(url);
    }
    for (const url of ['mysql://db/x', 'file:', './data/darkroom.db', 'sqlite:./x.db']) {
      expect(problemsOf({ DATABASE_URL: url }), url).toEqual([
        'DATABASE_URL: must be file:<path> (SQLite, e.g. file:./data/darkroom.db) or postgresql://user:password@host:5432/database (PostgreSQL)',
      ]);
    }
    expect(problemsOf({ DATABASE_URL: 'postgresql://u:p@db' }).join()).toMatch(/^DATABASE_URL: names no database/);
    expect(problemsOf({ DATABASE_URL: 'postgresql:///darkroom' }).join()).toMatch(/^DATABASE_URL: names no PostgreSQL host/);
    expect(parseEnv({ DATABASE_URL: 'postgresql:///darkroom?host=/var/run/postgresql' }).DATABASE_URL).toContain('host=');
    // Never the value itself: it may carry a password.
    for (const url of ['postgres://user:s3cret@db', 'postgresql://user:s3cret@[bad/x', 'mysql://user:s3cret@db/x']) {
      expect(problemsOf({ DATABASE_URL: url }).join(), url).not.toContain('s3cret');
      expect(problemsOf({ DATABASE_URL: url })).toHaveLength(1);
    }
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
    vi.stubEnv('DATABASE_URL', 'mysql://db/darkroom');
    expect(() => loadEnv()).toThrow(ConfigError);
    expect(() => loadEnv()).toThrow(/DATABASE_URL: must be file:<path>/);
    vi.stubEnv('DATABASE_URL', 'file:./data/darkroom.db');
    expect(loadEnv().DATABASE_URL).toBe('file:./data/darkroom.db');
  });
});
