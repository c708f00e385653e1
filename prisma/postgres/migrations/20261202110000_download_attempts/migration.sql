-- PostgreSQL twin of prisma/migrations/20261202110000_download_attempts.
-- Picture download tries are counted apart from status-read retries (issue #9).
ALTER TABLE "Task" ADD COLUMN "downloadAttempts" INTEGER NOT NULL DEFAULT 0;
-- "Fetch again" on an Unsaved task restarts the time-out from this moment.
ALTER TABLE "Task" ADD COLUMN "refetchedAt" TIMESTAMP(3);
