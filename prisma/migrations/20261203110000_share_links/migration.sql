-- Share links (issue #12, README "Share links"): a read-only link to one picture that works without the
-- password. Only the SHA-256 of the link's token is stored ("tokenHash", unique: the lookup of a presented
-- token); the token itself is shown once, when the link is made. "targetType" is 'picture' (with "taskId")
-- today; 'board' is reserved for boards, which will add their own column. Emptying the Trash deletes a
-- task's links with it (the foreign key cascades); a link to a picture in the Trash answers 404 meanwhile.

-- CreateTable
CREATE TABLE "ShareLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "taskId" TEXT,
    "showPrompt" BOOLEAN NOT NULL DEFAULT false,
    "publicCache" BOOLEAN NOT NULL DEFAULT false,
    "expiresAt" DATETIME,
    "revokedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastViewedAt" DATETIME,
    CONSTRAINT "ShareLink_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ShareLink_tokenHash_key" ON "ShareLink"("tokenHash");

-- CreateIndex: the links of one picture, and the cascade when a task is deleted.
CREATE INDEX "ShareLink_taskId_idx" ON "ShareLink"("taskId");
