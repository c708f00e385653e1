import 'server-only';
import { db } from '../db/client';
import {
  checkFile,
  pictureInclude,
  repairOriginal,
  restoreThumbnails,
  type FileState,
  type PictureRecord,
  type ThumbnailRestore,
} from './integrity';
import { pictureStore } from './picture-store';
import { markFound, unreferencedKeys } from './records';

/**
 * `npm run doctor`: hashes every stored original and thumbnail against the
 * database. Read-only unless `repair` is set, in which case missing or damaged
 * originals are fetched again from the provider (or marked lost) and
 * thumbnails are rendered again. It also counts stored files that no picture
 * uses (`strays`) — reported, never deleted: a file is stored just before its
 * row is written, so one may be in flight. The CLI is scripts/doctor.ts.
 */

/** What a file is like after the run (with `repair`, problems end as repaired or lost). */
export type Outcome = 'ok' | 'missing' | 'corrupt' | 'repaired' | 'lost';
export type Counts = Record<Outcome, number>;

/** One original that was not fine: what was found on disk and what became of it. */
export type DoctorProblem = {
  taskId: string;
  prompt: string;
  /** `marked lost`: the file is intact but the database still says lost (e.g. restored from a backup). */
  found: FileState | 'marked lost';
  outcome: Outcome;
};

export type DoctorReport = {
  repair: boolean;
  originals: Counts;
  thumbnails: Counts;
  problems: DoctorProblem[];
  /** Stored files (originals or thumbnails) that no picture uses: wasted space, not damage. */
  strays: number;
  /** False when a picture is lost, or a problem was found and left unrepaired. */
  healthy: boolean;
};

const PAGE = 100;
const zero = (): Counts => ({ ok: 0, missing: 0, corrupt: 0, repaired: 0, lost: 0 });

export async function runDoctor({ repair }: { repair: boolean }): Promise<DoctorReport> {
  const report: DoctorReport = { repair, originals: zero(), thumbnails: zero(), problems: [], strays: 0, healthy: true };
  // Pages by id keep memory flat however large the library is.
  for (let after: string | undefined; ;) {
    const pictures = await db().image.findMany({
      where: after ? { id: { gt: after } } : {},
      include: pictureInclude,
      orderBy: { id: 'asc' },
      take: PAGE,
    });
    for (const picture of pictures) await examine(picture, report);
    if (pictures.length < PAGE) break;
    after = pictures[pictures.length - 1].id;
  }
  report.strays = await countStrays();
  const bad = (c: Counts) => c.missing + c.corrupt + c.lost;
  report.healthy = bad(report.originals) + bad(report.thumbnails) === 0;
  return report;
}

async function examine(picture: PictureRecord, report: DoctorReport): Promise<void> {
  const { original, outcome, found } = await examineOriginal(picture, report.repair);
  report.originals[outcome]++;
  if (found !== 'ok') report.problems.push({ taskId: picture.taskId, prompt: picture.task.prompt, found, outcome });

  // Thumbnails are rendered again only from an original known to be intact.
  const thumbnails = await restoreThumbnails(picture, report.repair ? original : null, 'full');
  for (const thumb of thumbnails) report.thumbnails[thumbnailOutcome(thumb, outcome === 'lost')]++;
}

async function examineOriginal(
  picture: PictureRecord,
  repair: boolean,
): Promise<{ original: Buffer | null; outcome: Outcome; found: DoctorProblem['found'] }> {
  const check = await checkFile(picture, 'full');
  if (check.state === 'ok') {
    if (!picture.lostAt) return { original: check.bytes, outcome: 'ok', found: 'ok' };
    // The gallery shows it as lost until the mark is cleared.
    if (!repair) return { original: check.bytes, outcome: 'lost', found: 'marked lost' };
    await markFound(picture);
    return { original: check.bytes, outcome: 'repaired', found: 'marked lost' };
  }
  if (!repair) return { original: null, outcome: picture.lostAt ? 'lost' : check.state, found: check.state };
  const result = await repairOriginal(picture);
  // 'ok' here means something else fixed the file between the check and the repair.
  return { original: result.bytes, outcome: result.outcome === 'ok' ? 'repaired' : result.outcome, found: check.state };
}

/** Walks the store's keys in batches (memory stays flat) and counts those no row uses. */
async function countStrays(): Promise<number> {
  let strays = 0;
  let batch: string[] = [];
  const flush = async () => {
    strays += (await unreferencedKeys(batch)).length;
    batch = [];
  };
  for await (const key of pictureStore().list()) {
    batch.push(key);
    if (batch.length === PAGE) await flush();
  }
  if (batch.length) await flush();
  return strays;
}

function thumbnailOutcome(thumb: ThumbnailRestore, originalLost: boolean): Outcome {
  if (thumb.found === 'ok') return 'ok';
  if (thumb.repaired) return 'repaired';
  // With the original gone there is nothing to render it from.
  return originalLost ? 'lost' : thumb.found;
}
