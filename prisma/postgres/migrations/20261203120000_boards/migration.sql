-- PostgreSQL twin of prisma/migrations/20261203120000_boards.
-- Boards (issue #12): named collections of pictures; a picture can be on several.
-- Names are unique whatever their case: "nameKey" holds the normalized name (lib/boards/names.ts) and
-- carries the unique index. Deleting a board deletes only its links (BoardTask), never a picture;
-- emptying the Trash deletes a task's links with it. Both foreign keys cascade.

-- CreateTable
CREATE TABLE "Board" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Board_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BoardTask" (
    "boardId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BoardTask_pkey" PRIMARY KEY ("boardId", "taskId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Board_nameKey_key" ON "Board"("nameKey");

-- CreateIndex: the boards of one picture, and the cascade when a task is deleted.
CREATE INDEX "BoardTask_taskId_idx" ON "BoardTask"("taskId");

-- AddForeignKey
ALTER TABLE "BoardTask" ADD CONSTRAINT "BoardTask_boardId_fkey" FOREIGN KEY ("boardId") REFERENCES "Board"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BoardTask" ADD CONSTRAINT "BoardTask_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;
