import { describe, expect, it } from 'vitest';
import { describeDatabaseUrl, dialectOf, postgresConnection, SqlParams, sqlBool, timestampValue } from '@/lib/db/dialect';

describe('SQL dialects', () => {
  it('are chosen by the scheme of DATABASE_URL alone', () => {
    expect(dialectOf('file:./data/darkroom.db')).toBe('sqlite');
    for (const url of ['postgres://u:p@db/x', 'postgresql://db:5432/x', 'POSTGRESQL://db/x']) expect(dialectOf(url), url).toBe('postgres');
    expect(dialectOf('file:./postgresql://x.db')).toBe('sqlite');
  });

  it('number placeholders for PostgreSQL and keep ? for SQLite', () => {
    const pg = new SqlParams('postgres');
    expect([pg.add('a'), pg.add(2), pg.addTimestamp('2026-01-01 00:00:00')]).toEqual(['$1', '$2', 'CAST($3 AS TIMESTAMP(3))']);
    expect(pg.values).toEqual(['a', 2, '2026-01-01 00:00:00']);
    const sqlite = new SqlParams('sqlite');
    expect([sqlite.add('a'), sqlite.addTimestamp('x')]).toEqual(['?', '?']);
  });

  it('spell booleans and timestamps as each database stores them', () => {
    expect([sqlBool('sqlite', true), sqlBool('sqlite', false), sqlBool('postgres', true), sqlBool('postgres', false)]).toEqual([
      '1',
      '0',
      'TRUE',
      'FALSE',
    ]);
    const at = new Date('2026-07-04T23:30:15.123Z');
    expect(timestampValue('sqlite', at)).toBe('2026-07-04T23:30:15.123+00:00');
    expect(timestampValue('postgres', at)).toBe('2026-07-04 23:30:15.123');
  });

  it('connect to PostgreSQL in UTC and ISO dates, keeping options given in the URL, and never log the password', () => {
    expect(postgresConnection('postgresql://u:s3cret@db:5432/x')).toEqual({
      connectionString: 'postgresql://u:s3cret@db:5432/x',
      options: '-c TimeZone=UTC -c DateStyle=ISO',
    });
    expect(postgresConnection('postgresql://db/x?options=-c%20statement_timeout%3D5000').options).toBe(
      '-c statement_timeout=5000 -c TimeZone=UTC -c DateStyle=ISO',
    );
    expect(describeDatabaseUrl('postgresql://user:s3cret@db.internal:6543/darkroom?sslmode=require')).toBe(
      'postgresql://db.internal:6543/darkroom',
    );
    expect(describeDatabaseUrl('file:./data/darkroom.db')).toBe('file:./data/darkroom.db');
  });
});
