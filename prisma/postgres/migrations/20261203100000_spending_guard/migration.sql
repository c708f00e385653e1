-- PostgreSQL twin of prisma/migrations/20261203100000_spending_guard.
-- The spending guard (issue #12): DAILY_LIMIT / MONTHLY_LIMIT cap the pictures sent upstream per UTC day and
-- month. What was spent is counted from "Task"."submittedAt" (set when a create is attempted), never kept
-- as a tally; limits saved on the Settings page live in one row here and win over the environment.

-- CreateTable
CREATE TABLE "SpendingLimit" (
    "id" TEXT NOT NULL,
    "dailyLimit" INTEGER,
    "monthlyLimit" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SpendingLimit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex: counting a day's or a month's submissions (and the last 30 days) is a range on submittedAt.
CREATE INDEX "Task_submittedAt_idx" ON "Task"("submittedAt");
