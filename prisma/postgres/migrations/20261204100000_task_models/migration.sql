-- More models (issue #13): each task names its model and keeps the exact body it sends upstream (JSON,
-- validated by the model's schema in lib/freepik/models). Existing tasks are RunWay's and keep params NULL:
-- their body is derived from prompt, ratio and seed, as before.
ALTER TABLE "Task" ADD COLUMN "model" TEXT NOT NULL DEFAULT 'runway';
ALTER TABLE "Task" ADD COLUMN "params" TEXT;

-- The seed becomes optional (Imagen 3 and Mystic have none).
ALTER TABLE "Task" ALTER COLUMN "seed" DROP NOT NULL;

-- The gallery's Model filter pages by (createdAt, id) within a model.
CREATE INDEX "Task_model_createdAt_id_idx" ON "Task"("model", "createdAt", "id");
