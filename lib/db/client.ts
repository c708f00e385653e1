import 'server-only';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client';
import { databaseFile } from '../config/env';
import { singleton } from '../singleton';

function createClient(): PrismaClient {
  // SQLite only for now: the schema refuses other DATABASE_URLs (lib/config/env-schema.ts).
  const adapter = new PrismaBetterSqlite3({ url: `file:${databaseFile()}` });
  return new PrismaClient({ adapter });
}

/** One client per process (SQLite allows one writer at a time). */
export function db(): PrismaClient {
  return singleton('Db', createClient);
}
