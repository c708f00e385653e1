-- PostgreSQL twin of prisma/migrations/20261202120000_image_rows (docs/decisions/0011-image-rows.md).
-- An import sets importedSha256 = sha256; the unique index makes "add this picture unless it is here"
-- atomic in the database. Pictures made here leave it NULL (a unique index allows many NULLs).

-- AlterTable
ALTER TABLE "Image" ADD COLUMN "importedSha256" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Image_importedSha256_key" ON "Image"("importedSha256");

-- CreateIndex: finding who else uses a content-addressed thumbnail file (emptying the Trash, the doctor).
CREATE INDEX "Thumbnail_sha256_idx" ON "Thumbnail"("sha256");
