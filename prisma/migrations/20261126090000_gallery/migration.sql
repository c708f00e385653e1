-- AlterTable
ALTER TABLE "Task" ADD COLUMN "favorite" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Task" ADD COLUMN "deletedAt" DATETIME;

-- CreateIndex
CREATE INDEX "Task_deletedAt_createdAt_id_idx" ON "Task"("deletedAt", "createdAt", "id");

-- Full-text search over prompts (not modelled by Prisma; see docs/decisions/0007-gallery-at-scale.md).
-- unicode61 with remove_diacritics folds case and accents: "Café" matches "cafe".
CREATE VIRTUAL TABLE "TaskSearch" USING fts5(
    prompt,
    content='Task',
    content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2'
);

-- Keep the index in sync with Task.
CREATE TRIGGER "Task_search_insert" AFTER INSERT ON "Task" BEGIN
    INSERT INTO "TaskSearch"(rowid, prompt) VALUES (new.rowid, new.prompt);
END;
CREATE TRIGGER "Task_search_delete" AFTER DELETE ON "Task" BEGIN
    INSERT INTO "TaskSearch"("TaskSearch", rowid, prompt) VALUES ('delete', old.rowid, old.prompt);
END;
CREATE TRIGGER "Task_search_update" AFTER UPDATE OF prompt ON "Task" BEGIN
    INSERT INTO "TaskSearch"("TaskSearch", rowid, prompt) VALUES ('delete', old.rowid, old.prompt);
    INSERT INTO "TaskSearch"(rowid, prompt) VALUES (new.rowid, new.prompt);
END;

-- Index what is already there.
INSERT INTO "TaskSearch"("TaskSearch") VALUES ('rebuild');
