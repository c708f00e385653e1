-- Variations (batches): the tasks one submission made share batchId and are numbered 0…batchSize−1.
-- NULL for a single picture, so existing rows stay as they are.
ALTER TABLE "Task" ADD COLUMN "batchId" TEXT;
ALTER TABLE "Task" ADD COLUMN "batchIndex" INTEGER;
ALTER TABLE "Task" ADD COLUMN "batchSize" INTEGER;

-- CreateIndex
CREATE INDEX "Task_batchId_idx" ON "Task"("batchId");
