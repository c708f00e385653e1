import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// Issue #9, seam 3 (docs/decisions/0011-image-rows.md): lib/images/records.ts
// is the only writer of Image and Thumbnail rows, as lib/tasks/state-machine.ts
// is of Task.status. This test reads the source tree.

const ROOT = path.resolve(import.meta.dirname, '../..');
const OWNER = 'lib/images/records.ts';
/** Bulk seeding writes finished tasks with raw SQL for speed (100k rows); it runs on its own database, never beside a server. */
const EXEMPT = new Set(['scripts/seed.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|mjs|js)$/.test(entry.name))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.startsWith('lib/db/generated'));
}

/** Prisma writes to the Image or Thumbnail model, or raw SQL ones to their tables. */
const WRITES = [
  /\.(image|thumbnail)\.(create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany)\s*\(/,
  /\b(INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(Image|Thumbnail)\b/i,
  /\blostAt\s*:\s*(new Date|null)/,
];

describe('Image and Thumbnail rows have one writer', () => {
  it('the check catches the writes that used to be spread over integrity, doctor, import and the state machine', () => {
    const old = [
      `await db().image.updateMany({ where: { id: picture.id, lostAt: null }, data: { lostAt: new Date() } });`,
      `await tx.image.create({ data: { id: imageId, taskId: id, ...image } });`,
      `await db().thumbnail.upsert({ where: { imageId_width: { imageId, width } }, create, update });`,
      'db.prepare(`INSERT INTO Image (id, taskId) VALUES (?, ?)`)',
    ];
    for (const line of old)
      expect(
        WRITES.some((pattern) => pattern.test(line)),
        line,
      ).toBe(true);
    expect(WRITES.some((pattern) => pattern.test(`const row = await db().image.findUnique({ where: { taskId } });`))).toBe(false);
  });

  it(`only ${OWNER} writes them`, () => {
    const files = ['app', 'components', 'lib', 'scripts'].flatMap(sourceFiles);
    expect(files).toContain(OWNER);
    const writers = files.filter((file) => {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      return WRITES.some((pattern) => pattern.test(text));
    });
    expect(writers.filter((file) => !EXEMPT.has(file))).toEqual([OWNER]);
  });
});
