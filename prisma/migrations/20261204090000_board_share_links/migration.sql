-- Board share links (issue #12, README "Share links"): a read-only link to a board works like one to a
-- picture — only its token's SHA-256 is stored, it may expire, it can be revoked — and names the board in
-- "boardId" ("targetType" 'board', "taskId" NULL). Deleting the board deletes its links (the foreign key
-- cascades), so a link to a deleted board answers the same 404 as any unknown one.
-- SQLite may add a column with a REFERENCES clause when its default is NULL, as here: no table rebuild.

-- AlterTable
ALTER TABLE "ShareLink" ADD COLUMN "boardId" TEXT REFERENCES "Board" ("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateIndex: the links of one board, and the cascade when a board is deleted.
CREATE INDEX "ShareLink_boardId_idx" ON "ShareLink"("boardId");
