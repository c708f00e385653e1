import 'server-only';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';
import { PrismaClient as PostgresPrismaClient } from './generated-pg/client';
import { databaseFile, env } from '../config/env';
import { dialectOf, postgresConnection } from './dialect';
import { singleton } from '../singleton';

/**
 * PostgreSQL's driver adapter, loaded on first connect: `@prisma/adapter-pg` and `pg` are imported
 * only when DATABASE_URL selects PostgreSQL, so the SQLite path loads nothing new.
 */
function lazyPostgresAdapter(databaseUrl: string): Pick<PrismaPg, 'provider' | 'adapterName' | 'connect'> {
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    async connect() {
      const { PrismaPg } = await import('@prisma/adapter-pg');
      return new PrismaPg(postgresConnection(databaseUrl)).connect();
    },
  };
}

function createClient(): PrismaClient {
  const url = env().DATABASE_URL;
  if (dialectOf(url) === 'postgres') {
    // prisma/postgres/schema.prisma is prisma/schema.prisma with another provider and output
    // (tests/unit/prisma-schemas.test.ts), so both generated clients have the same model API:
    // the rest of the code sees one PrismaClient type, whichever database it talks to.
    return new PostgresPrismaClient({ adapter: lazyPostgresAdapter(url) }) as unknown as PrismaClient;
  }
  const adapter = new PrismaBetterSqlite3({ url: `file:${databaseFile()}` });
  return new PrismaClient({ adapter });
}

/** One client per process (SQLite allows one writer at a time; PostgreSQL gets one connection pool). */
export function db(): PrismaClient {
  return singleton('Db', createClient);
}

/** Which database this process talks to, for the few raw statements that differ (lib/db/dialect.ts). */
export function dbDialect() {
  return dialectOf(env().DATABASE_URL);
}
