-- Image rows get one owner (issue #9, docs/decisions/0011-image-rows.md).
-- An import sets importedSha256 = sha256; the unique index makes "add this picture unless it is here"
-- atomic in the database, so two imports of the same archive running at once (in one process or in
-- several) add each picture once. Pictures made here leave it NULL (SQLite allows many NULLs in a
-- unique index): two tasks may still hold identical bytes (Reproduce with the same seed).
-- Existing rows keep NULL: the pre-insert sha256 check still finds them, and a race is only possible
-- between two new inserts, which both set the column.

-- AlterTable
ALTER TABLE "Image" ADD COLUMN "importedSha256" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Image_importedSha256_key" ON "Image"("importedSha256");

-- CreateIndex: finding who else uses a content-addressed thumbnail file (emptying the Trash, the doctor).
CREATE INDEX "Thumbnail_sha256_idx" ON "Thumbnail"("sha256");
