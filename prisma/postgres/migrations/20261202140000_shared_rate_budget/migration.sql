-- One provider rate budget for the whole deployment (issue #10, ADR 0014): every instance takes its
-- tokens from this row, so ~10 requests/s on average and short bursts hold however many instances run.
-- Not modelled by Prisma: only lib/freepik/shared-rate-limit.ts touches it, in one atomic statement.
CREATE TABLE "RateBudget" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "tokens" DOUBLE PRECISION NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL
);
