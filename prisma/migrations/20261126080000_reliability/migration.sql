-- AlterTable
ALTER TABLE "Task" ADD COLUMN "unconfirmedAt" DATETIME;
ALTER TABLE "Task" ADD COLUMN "needsDecision" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Image" ADD COLUMN "placeholder" TEXT;
ALTER TABLE "Image" ADD COLUMN "sourceUrl" TEXT;
ALTER TABLE "Image" ADD COLUMN "lostAt" DATETIME;

-- CreateTable
CREATE TABLE "Thumbnail" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "imageId" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "bytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    CONSTRAINT "Thumbnail_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "providerTaskId" TEXT,
    "status" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "Thumbnail_imageId_width_key" ON "Thumbnail"("imageId", "width");

-- CreateIndex
CREATE INDEX "WebhookDelivery_receivedAt_idx" ON "WebhookDelivery"("receivedAt");
