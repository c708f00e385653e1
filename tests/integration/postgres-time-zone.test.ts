import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresCluster, type PostgresCluster } from '../../scripts/lib/postgres.mjs';
import { migrateDatabase } from '@/lib/db/migrate';
import { galleryFilterSchema } from '@/lib/gallery/filters';
import { createPostgresDatabase, insertTask } from '../support/test-db';

/**
 * Instants stay instants whatever the server's time zone (postgres project only;
 * docs/decisions/0013-postgresql.md): a second cluster running in America/New_York (and printing dates
 * as `SQL, DMY`), the app's own
 * client (lib/db/client.ts, which connects with TimeZone=UTC and DateStyle=ISO) writes and reads Dates, database
 * defaults (CURRENT_TIMESTAMP) and the gallery's keyset cursors. TIMESTAMP(3) columns hold UTC.
 */
let cluster: PostgresCluster;
let url: string;
let db: typeof import('@/lib/db/client').db;

beforeAll(async () => {
  cluster = await startPostgresCluster({ settings: { timezone: 'America/New_York', datestyle: 'SQL,DMY' } });
  url = await createPostgresDatabase(cluster.url, 'new_york');
  process.env.DATABASE_URL = url;
  process.env.FREEPIK_API_KEY = 'time-zone-key-0123456789';
  await migrateDatabase(url, process.cwd());
  db = (await import('@/lib/db/client')).db;
}, 60_000);

afterAll(async () => {
  await db?.().$disconnect();
  await cluster?.stop();
});

async function raw<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url }); // no TimeZone option: the server's zone
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('a PostgreSQL server in America/New_York', () => {
  it('really runs in New York (a plain connection sees it), while the app’s client works in UTC', async () => {
    const settings = "SELECT current_setting('TimeZone') AS tz, current_setting('DateStyle') AS style";
    expect(await raw(settings)).toEqual([{ tz: 'America/New_York', style: 'SQL, DMY' }]);
    expect(await db().$queryRawUnsafe(settings)).toEqual([{ tz: 'UTC', style: 'ISO, DMY' }]);
  });

  it('gives back the very instant a Date was written as, and stores it as UTC wall time', async () => {
    const at = new Date('2026-07-04T23:30:15.123Z'); // summer time in New York: UTC-4, and another calendar day there
    const winter = new Date('2026-01-15T03:04:05.006Z');
    const id = await insertTask({ prompt: 'time zone probe', createdAt: at, updatedAt: winter, finishedAt: winter });
    const row = (await db().task.findUnique({ where: { id } }))!;
    expect(row.createdAt.toISOString()).toBe(at.toISOString());
    expect(row.updatedAt.toISOString()).toBe(winter.toISOString());
    expect(row.finishedAt!.toISOString()).toBe(winter.toISOString());
    const [stored] = await raw<{ created: string }>(
      `SELECT to_char("createdAt", 'YYYY-MM-DD HH24:MI:SS.MS') AS created FROM "Task" WHERE id = '${id}'`,
    );
    expect(stored.created).toBe('2026-07-04 23:30:15.123');
  });

  it('fills database defaults (CURRENT_TIMESTAMP) in UTC on the app’s connections', async () => {
    const before = Date.now();
    await db().$executeRawUnsafe(`INSERT INTO "WebhookDelivery" ("id") VALUES ('tz-default')`);
    const row = (await db().webhookDelivery.findUnique({ where: { id: 'tz-default' } }))!;
    expect(Math.abs(row.receivedAt.getTime() - before)).toBeLessThan(60_000); // not 4 or 5 hours off
  });

  it('pages the gallery by keyset (cursors are timestamps as text) across instants that are one day in UTC and another in New York', async () => {
    const ids: string[] = [];
    for (const iso of ['2026-03-08T03:30:00.000Z', '2026-03-08T04:30:00.000Z', '2026-03-08T06:59:59.999Z', '2026-03-08T07:00:00.000Z']) {
      ids.push(await insertTask({ prompt: 'keyset dst walk', createdAt: new Date(iso), updatedAt: new Date(iso) }));
    }
    const query = await import('@/lib/gallery/query');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof query.listTasks>> = await query.listTasks(
        galleryFilterSchema.parse({ q: 'dst walk', sort: 'oldest' }),
        cursor,
        1,
      );
      seen.push(...page.tasks.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });
});
