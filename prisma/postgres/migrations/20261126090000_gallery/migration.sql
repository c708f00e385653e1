-- PostgreSQL twin of prisma/migrations/20261126090000_gallery.

-- AlterTable
ALTER TABLE "Task" ADD COLUMN "favorite" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Task" ADD COLUMN "deletedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Task_deletedAt_createdAt_id_idx" ON "Task"("deletedAt", "createdAt", "id");

-- Full-text search over prompts, the twin of SQLite's FTS5 table (not modelled by Prisma; see
-- docs/decisions/0007-gallery-at-scale.md and 0013-postgresql.md): a tsvector of the prompt with
-- accents removed, under the 'simple' configuration (lower case, no stemming, no stop words: like
-- unicode61 remove_diacritics), in a GIN index. "Café" matches "cafe"; prefixes are searched with
-- to_tsquery('simple', 'word:*'). unaccent (a trusted extension: the database owner may create it) is
-- only STABLE, since its dictionary could change; a generated column and an index need an IMMUTABLE
-- function, hence the wrapper with the dictionary named explicitly. Schema-qualified so it does not
-- depend on search_path (pg_dump/restore run with an empty one).
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;

CREATE FUNCTION public.darkroom_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- Kept in sync by PostgreSQL itself (no triggers): a stored generated column.
ALTER TABLE "Task" ADD COLUMN "searchVector" tsvector
    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, public.darkroom_unaccent("prompt"))) STORED;

CREATE INDEX "Task_searchVector_idx" ON "Task" USING GIN ("searchVector");
