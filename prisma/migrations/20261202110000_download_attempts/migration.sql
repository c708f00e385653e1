-- Picture download tries are counted apart from status-read retries (issue #9): a
-- provider that rate-limits status reads must not use up the tries of a finished picture.
ALTER TABLE "Task" ADD COLUMN "downloadAttempts" INTEGER NOT NULL DEFAULT 0;
-- "Fetch again" on an Unsaved task restarts the time-out from this moment.
ALTER TABLE "Task" ADD COLUMN "refetchedAt" DATETIME;
