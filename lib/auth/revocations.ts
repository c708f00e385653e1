import { appendFileSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Sessions ended by Sign out, so their cookies are refused even if a copy of
 * one is replayed. One line per session, `<id> <expires-at s>`, in
 * `<data dir>/revoked-sessions`. A file (not memory) because proxy.ts and the
 * app are separate bundles with separate module state; every check costs one
 * stat(), and the list is re-read only when the file changed. Entries are
 * kept until their cookie would have expired anyway.
 */
export const REVOKED_FILE = 'revoked-sessions';
/** Past this size the expired lines are dropped when the next session is revoked. */
const PRUNE_AT_BYTES = 256 * 1024;

type Snapshot = { fingerprint: string; ids: Set<string> };
const snapshots = new Map<string, Snapshot>();

function fingerprint(file: string): string | null {
  try {
    const info = statSync(file);
    return `${info.ino}:${info.size}:${info.mtimeMs}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function parse(text: string, nowSeconds: number): Map<string, number> {
  const entries = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [id, exp] = line.trim().split(' ');
    if (id && Number(exp) > nowSeconds) entries.set(id, Number(exp));
  }
  return entries;
}

export function isRevoked(dataDir: string, id: string): boolean {
  const file = path.join(dataDir, REVOKED_FILE);
  const current = fingerprint(file);
  if (current === null) return false;
  let snapshot = snapshots.get(file);
  if (!snapshot || snapshot.fingerprint !== current) {
    // Expired ids need not be dropped here: an expired cookie fails verification anyway.
    snapshot = { fingerprint: current, ids: new Set(parse(readFileSync(file, 'utf8'), 0).keys()) };
    snapshots.set(file, snapshot);
  }
  return snapshot.ids.has(id);
}

export function revokeSession(dataDir: string, id: string, expiresAt: number, nowMs = Date.now()): void {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return;
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, REVOKED_FILE);
  // O_APPEND: concurrent sign-outs each add their line without reading first.
  appendFileSync(file, `${id} ${expiresAt}\n`, { mode: 0o600 });
  if (statSync(file).size > PRUNE_AT_BYTES) prune(file, nowMs / 1000);
}

function prune(file: string, nowSeconds: number): void {
  const kept = parse(readFileSync(file, 'utf8'), nowSeconds);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, [...kept].map(([id, exp]) => `${id} ${exp}\n`).join(''), { mode: 0o600 });
  renameSync(temp, file);
}
