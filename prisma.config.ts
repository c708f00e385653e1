import { defineConfig } from 'prisma/config';

// Used by `prisma generate` (and any Prisma tooling). Migrations are applied by
// lib/db/migrate.ts (run by scripts/prepare.ts); see docs/decisions/0002-migrations-offline.md.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/darkroom.db' },
});
