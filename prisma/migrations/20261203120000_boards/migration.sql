-- Boards (issue #12): named collections of pictures; a picture can be on several.
-- Names are unique whatever their case: "nameKey" holds the normalized name (lib/boards/names.ts) and
-- carries the unique index, so two people creating "Trip" and "trip" at once cannot both win.
-- Deleting a board deletes only its links (BoardTask), never a picture; emptying the Trash deletes a
-- task's links with it. Both foreign keys cascade.

-- CreateTable
CREATE TABLE "Board" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "BoardTask" (
    "boardId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "addedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("boardId", "taskId"),
    CONSTRAINT "BoardTask_boardId_fkey" FOREIGN KEY ("boardId") REFERENCES "Board" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "BoardTask_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Board_nameKey_key" ON "Board"("nameKey");

-- CreateIndex: the boards of one picture, and the cascade when a task is deleted.
CREATE INDEX "BoardTask_taskId_idx" ON "BoardTask"("taskId");
