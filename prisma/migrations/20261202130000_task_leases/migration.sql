-- Leases on tasks (issue #10, ADR 0014): which instance follows a task, and until when.
ALTER TABLE "Task" ADD COLUMN "leaseOwner" TEXT;
ALTER TABLE "Task" ADD COLUMN "leaseUntil" DATETIME;
