-- PostgreSQL twin of prisma/migrations/20261203110000_share_links.
-- Share links (issue #12, README "Share links"): a read-only link to one picture that works without the
-- password. Only the SHA-256 of the link's token is stored ("tokenHash", unique: the lookup of a presented
-- token); the token itself is shown once, when the link is made. "targetType" is 'picture' (with "taskId")
-- today; 'board' is reserved for boards, which will add their own column. Emptying the Trash deletes a
-- task's links with it (the foreign key cascades); a link to a picture in the Trash answers 404 meanwhile.

-- CreateTable
CREATE TABLE "ShareLink" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "taskId" TEXT,
    "showPrompt" BOOLEAN NOT NULL DEFAULT false,
    "publicCache" BOOLEAN NOT NULL DEFAULT false,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastViewedAt" TIMESTAMP(3),

    CONSTRAINT "ShareLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ShareLink_tokenHash_key" ON "ShareLink"("tokenHash");

-- CreateIndex: the links of one picture, and the cascade when a task is deleted.
CREATE INDEX "ShareLink_taskId_idx" ON "ShareLink"("taskId");

-- AddForeignKey
ALTER TABLE "ShareLink" ADD CONSTRAINT "ShareLink_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;
