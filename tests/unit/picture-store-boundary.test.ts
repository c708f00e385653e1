import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// Issue #9, seam 2: every read and write of picture bytes goes through the
// picture store (lib/images/picture-store.ts); no module outside lib/images
// knows where pictures are kept. A later object store (issue #10) then needs
// no change outside lib/images. This test reads the source tree.

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE = /\.(ts|tsx|mts|js|mjs|cjs)$/;

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })) {
    const file = path.relative(ROOT, path.join(entry.parentPath, entry.name));
    if (entry.isFile() && SOURCE.test(entry.name) && !file.includes('node_modules') && !file.startsWith('lib/db/generated')) {
      files.push(file);
    }
  }
  return files;
}

/** Application code outside lib/images: what must not touch the picture directory. */
const outside = [
  ...['app', 'components', 'lib', 'scripts'].flatMap(sourceFiles),
  ...readdirSync(ROOT).filter((name) => SOURCE.test(name)),
].filter((file) => !file.startsWith('lib/images/'));

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** The ways a module reached the picture directory before the store existed (or could again). */
function violations(text: string): string[] {
  const found: string[] = [];
  // The helpers of the old lib/images/store.ts, by name.
  const helper =
    /\b(absoluteImagePath|relativeImagePath|relativeThumbnailPath|readStoredFile\w*|writeStoredFile|removeStoredImage|storeImage)\b/.exec(
      text,
    );
  if (helper) found.push(`uses ${helper[1]}`);
  // The store's implementation (or the old module) instead of the interface.
  const internal = /from\s+['"][^'"]*images\/(directory-store|store)['"]/.exec(text);
  if (internal) found.push(`imports lib/images/${internal[1]}`);
  // A path into the picture folders: `'images'`, `"thumbs/…"`, `` `images/${…}` `` — in a module that can reach files.
  const folder = /['"`](?:\.\/)?(images|thumbs)(?:['"`]|\/)/.exec(text);
  const reachesFiles = /from\s+['"](node:)?fs(\/promises)?['"]|require\(\s*['"](node:)?fs|\bdataDir(Of)?\s*\(/.test(text);
  if (folder && reachesFiles) found.push(`names the ${folder[1]}/ folder and reads files or the data directory`);
  return found;
}

describe('picture store boundary', () => {
  it('the check itself catches how export and emptyTrash used to reach the files', () => {
    const oldExport = `import { stat } from 'node:fs/promises';\nimport { absoluteImagePath } from '../images/store';\nconst info = await stat(absoluteImagePath(image.path));`;
    const handRolled = `import { readFile } from 'node:fs/promises';\nimport { dataDir } from '../config/env';\nreadFile(path.join(dataDir(), 'thumbs', hash.slice(0, 2), name));`;
    const viaImplementation = `import { DirectoryPictureStore } from '@/lib/images/directory-store';`;
    expect(violations(oldExport)).toEqual(['uses absoluteImagePath', 'imports lib/images/store']);
    expect(violations(handRolled)).toEqual(['names the thumbs/ folder and reads files or the data directory']);
    expect(violations(viaImplementation)).toEqual(['imports lib/images/directory-store']);
    // A URL of the image route is not the picture directory.
    expect(violations(`import { readFile } from 'node:fs/promises';\nconst url = '/api/images/' + id;`)).toEqual([]);
  });

  it('no module outside lib/images touches the picture directory', () => {
    expect(outside.length).toBeGreaterThan(50); // the walk found the tree
    expect(outside).toContain('lib/archive/export.ts');
    const offenders = outside.flatMap((file) => violations(read(file)).map((problem) => `${file}: ${problem}`));
    expect(offenders).toEqual([]);
  });

  it('export, import and the collection reach pictures only through lib/images (no node:fs at all)', () => {
    for (const file of ['lib/archive/export.ts', 'lib/archive/import.ts', 'lib/gallery/collection.ts']) {
      expect(read(file), file).not.toMatch(/['"](node:)?fs(\/promises)?['"]/);
    }
  });

  it('inside lib/images only the store implementation touches files', () => {
    const images = sourceFiles('lib/images');
    const withFs = images.filter((file) => /['"](node:)?fs(\/promises)?['"]/.test(read(file)));
    expect(withFs).toEqual(['lib/images/directory-store.ts']);
  });
});
