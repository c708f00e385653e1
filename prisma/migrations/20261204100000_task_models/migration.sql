-- More models (issue #13): each task names its model and keeps the exact body it sends upstream (JSON,
-- validated by the model's schema in lib/freepik/models). Existing tasks are RunWay's and keep params NULL:
-- their body is derived from prompt, ratio and seed, as before.
ALTER TABLE "Task" ADD COLUMN "model" TEXT NOT NULL DEFAULT 'runway';
ALTER TABLE "Task" ADD COLUMN "params" TEXT;

-- The seed becomes optional (Imagen 3 and Mystic have none). SQLite cannot drop NOT NULL in place and a table
-- rebuild would cascade through the foreign keys inside the migration's transaction, so the column is
-- copied, dropped and renamed (rowids are kept, so the prompt search index stays valid).
ALTER TABLE "Task" ADD COLUMN "seed_optional" BIGINT;
UPDATE "Task" SET "seed_optional" = "seed";
ALTER TABLE "Task" DROP COLUMN "seed";
ALTER TABLE "Task" RENAME COLUMN "seed_optional" TO "seed";

-- The gallery's Model filter pages by (createdAt, id) within a model.
CREATE INDEX "Task_model_createdAt_id_idx" ON "Task"("model", "createdAt", "id");
