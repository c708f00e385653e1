import 'server-only';
import { randomUUID } from 'node:crypto';
import { db, dbDialect } from '../db/client';
import { SqlParams, timestampValue } from '../db/dialect';
import { singleton } from '../singleton';

/**
 * Leases on task rows (docs/decisions/0014-task-leases.md): an instance may
 * act on a task only while it holds the lease (`leaseOwner`, `leaseUntil`).
 * Claiming is one conditional UPDATE per task — it applies only if the lease
 * is free or expired — so two instances (or two processes on one SQLite file)
 * can never follow the same task at once. A lease lasts longer than the
 * slowest provider call and is renewed while the work goes on; an instance
 * that dies simply stops renewing, and another takes over when it expires.
 */

/** Longer than a provider call (20 s) or a picture download (60 s) — and renewed every third of it meanwhile. */
export const LEASE_MS = 90_000;

/** This process's identity as a lease holder. */
export function instanceId(): string {
  return singleton('InstanceId', () => `${process.pid}-${randomUUID()}`);
}

const UNFINISHED = ['QUEUED', 'GENERATING'];
const free = (now: Date) => ({ OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] });

/**
 * Claims up to `limit` due, unleased tasks for `owner`; returns the rows claimed (oldest promise first).
 * PostgreSQL: one statement, `FOR UPDATE SKIP LOCKED`, so instances claiming at the same moment take
 * different tasks instead of queueing on the same rows. SQLite (one writer at a time anyway): a
 * conditional update per candidate.
 */
export async function claimDueTasks(owner: string, now: Date, limit: number, leaseMs = LEASE_MS) {
  if (dbDialect() === 'postgres') return claimDueTasksSkipLocked(owner, now, limit, leaseMs);
  const candidates = await db().task.findMany({
    where: { status: { in: UNFINISHED }, AND: [{ OR: [{ nextCheckAt: null }, { nextCheckAt: { lte: now } }] }, free(now)] },
    orderBy: [{ nextCheckAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'asc' }],
    take: limit,
    select: { id: true },
  });
  const claimed = [];
  for (const { id } of candidates) {
    const row = await claimTask(id, owner, now, leaseMs);
    if (row) claimed.push(row);
  }
  return claimed;
}

async function claimDueTasksSkipLocked(owner: string, now: Date, limit: number, leaseMs: number) {
  const p = new SqlParams('postgres');
  const at = p.addTimestamp(timestampValue('postgres', now));
  const until = p.addTimestamp(timestampValue('postgres', new Date(now.getTime() + leaseMs)));
  const ids = await db().$queryRawUnsafe<Array<{ id: string }>>(
    `UPDATE "Task" SET "leaseOwner" = ${p.add(owner)}, "leaseUntil" = ${until}
      WHERE "id" IN (
        SELECT "id" FROM "Task"
         WHERE "status" IN ('QUEUED', 'GENERATING')
           AND ("nextCheckAt" IS NULL OR "nextCheckAt" <= ${at})
           AND ("leaseUntil" IS NULL OR "leaseUntil" < ${at})
         ORDER BY "nextCheckAt" ASC NULLS FIRST, "createdAt" ASC
         LIMIT ${p.add(limit)}
         FOR UPDATE SKIP LOCKED)
      RETURNING "id"`,
    ...p.values,
  );
  if (!ids.length) return [];
  const rows = await db().task.findMany({ where: { id: { in: ids.map((r) => r.id) } } });
  return rows.sort(
    (a, b) => (a.nextCheckAt?.getTime() ?? 0) - (b.nextCheckAt?.getTime() ?? 0) || a.createdAt.getTime() - b.createdAt.getTime(),
  );
}

/** Claims one task (a webhook report for it, say); null when another instance holds it or it is finished. */
export async function claimTask(id: string, owner: string, now: Date, leaseMs = LEASE_MS) {
  const { count } = await db().task.updateMany({
    where: { id, status: { in: UNFINISHED }, OR: [{ leaseOwner: owner }, ...free(now).OR] },
    data: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) },
  });
  return count === 1 ? db().task.findUnique({ where: { id } }) : null;
}

/** Extends the leases `owner` still holds on these tasks (work in progress). */
export async function renewLeases(ids: string[], owner: string, now: Date, leaseMs = LEASE_MS): Promise<number> {
  if (!ids.length) return 0;
  const { count } = await db().task.updateMany({
    where: { id: { in: ids }, leaseOwner: owner },
    data: { leaseUntil: new Date(now.getTime() + leaseMs) },
  });
  return count;
}

/** Gives a task back (the step is done; whoever is free may take it when it is next due). */
export async function releaseLease(id: string, owner: string): Promise<void> {
  await db().task.updateMany({ where: { id, leaseOwner: owner }, data: { leaseOwner: null, leaseUntil: null } });
}

/**
 * SQLite lives on this machine, so a lease's holder is a local process:
 * leases whose process is gone (a crash, a restart) are dropped at start-up
 * instead of being waited out. Leases of live processes stay untouched.
 */
export async function releaseLeasesOfDeadProcesses(): Promise<number> {
  const owners = await db().task.findMany({ where: { leaseOwner: { not: null } }, distinct: ['leaseOwner'], select: { leaseOwner: true } });
  const dead = owners.map((o) => o.leaseOwner!).filter((owner) => owner !== instanceId() && !processAlive(Number(owner.split('-')[0])));
  if (!dead.length) return 0;
  const { count } = await db().task.updateMany({ where: { leaseOwner: { in: dead } }, data: { leaseOwner: null, leaseUntil: null } });
  return count;
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false; // our pid, another incarnation's lease: that process is gone
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A report for a task another instance holds: make it due now, so its holder reads the status at once. */
export async function nudgeTask(id: string): Promise<void> {
  await db().task.updateMany({ where: { id, status: { in: UNFINISHED } }, data: { nextCheckAt: new Date() } });
}
