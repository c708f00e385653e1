import { createHash, randomUUID } from 'node:crypto';
import { manifestJson, type ManifestTask } from '@/lib/archive/manifest';
import { prepareZip } from '@/lib/archive/zip-writer';
import type { Ratio } from '@/lib/generation/schema';

export type ZipEntry = { prompt: string; ratio: Ratio; bytes: Buffer };

/**
 * An export-format zip (manifest.json + images/…) as Darkroom's Export writes
 * it, built from pictures a test made: for import tests that need pictures
 * Darkroom never generated (bombs, duplicates).
 */
export async function exportZipOf(entries: ZipEntry[]): Promise<{ zip: Buffer; tasks: ManifestTask[] }> {
  const now = new Date();
  const tasks: ManifestTask[] = entries.map((entry, index) => {
    const id = randomUUID();
    const [width, height] = entry.ratio.split(':').map(Number);
    return {
      id,
      prompt: entry.prompt,
      ratio: entry.ratio,
      seed: index + 1,
      status: 'COMPLETED',
      statusDetail: null,
      origin: 'new',
      parentId: null,
      favorite: false,
      createdAt: now.toISOString(),
      finishedAt: now.toISOString(),
      file: `images/entry-${index}-seed-${index + 1}-${id.slice(0, 8)}.png`,
      sha256: createHash('sha256').update(entry.bytes).digest('hex'),
      width,
      height,
      mimeType: 'image/png',
      batchId: null,
      batchIndex: null,
      batchSize: null,
      model: 'runway',
      params: { prompt: entry.prompt, ratio: entry.ratio, seed: index + 1 },
    };
  });
  const prepared = prepareZip([
    { name: 'manifest.json', data: Buffer.from(manifestJson(now, tasks)), compress: true },
    ...entries.map((entry, index) => ({ name: tasks[index].file!, data: entry.bytes })),
  ]);
  return { zip: Buffer.from(await new Response(prepared.stream()).arrayBuffer()), tasks };
}
