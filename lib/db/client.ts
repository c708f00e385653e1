import 'server-only';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client';
import { env } from '../config/env';
import { sqlitePathOf } from '../config/env-schema';

// One client per process, kept on globalThis: Next bundles instrumentation,
// route handlers and server actions separately, and dev reloads modules, but
// they must all share one connection (SQLite allows one writer at a time).
const globalForDb = globalThis as unknown as { __darkroomDb?: PrismaClient };

function createClient(): PrismaClient {
  const url = env().DATABASE_URL;
  if (!url.startsWith('file:')) {
    throw new Error('DATABASE_URL: only SQLite (file:…) is supported by this build.');
  }
  const adapter = new PrismaBetterSqlite3({ url: `file:${sqlitePathOf(url, process.cwd())}` });
  return new PrismaClient({ adapter });
}

export function db(): PrismaClient {
  globalForDb.__darkroomDb ??= createClient();
  return globalForDb.__darkroomDb;
}
