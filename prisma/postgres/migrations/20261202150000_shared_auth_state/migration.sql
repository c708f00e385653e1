-- What the access gate must share between instances (issue #10, ADR 0008): the session signing secret and
-- signed-out sessions. Not modelled by Prisma: the proxy bundle reads them with `pg` (lib/auth/state-store.ts).
CREATE TABLE "AppSecret" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "RevokedSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "expiresAt" TIMESTAMP(3) NOT NULL
);
CREATE INDEX "RevokedSession_expiresAt_idx" ON "RevokedSession"("expiresAt");

-- Sign-in attempts (lib/auth/rate-limit.ts), in the layout rate-limiter-flexible's RateLimiterPostgres uses.
-- Created here rather than by the library on first use, so the first sign-in never races its creation.
CREATE TABLE "darkroom_login_slots" (
    "key" VARCHAR(255) NOT NULL PRIMARY KEY,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT
);
