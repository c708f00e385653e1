import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SECRET_FILE = 'session-secret';
const SECRET_BYTES = 32;

/**
 * The server secret behind session cookies: 32 random bytes kept in
 * `<data dir>/session-secret` (mode 0600), created on first use. It survives
 * restarts, so sessions do too; deleting the file signs everyone out.
 *
 * Creation is race-free across the proxy and app bundles (and processes): the
 * secret is written to a private temp file, then hard-linked into place, which
 * fails if another writer got there first; everyone then reads the winner.
 */
export function loadOrCreateSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, SECRET_FILE);
  const existing = readSecret(file);
  if (existing) return existing;

  mkdirSync(dataDir, { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, `${randomBytes(SECRET_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  const created = readSecret(file);
  if (!created) throw new Error(`${file} could not be read back after creating it`);
  return created;
}

function readSecret(file: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const bytes = Buffer.from(text.trim(), 'base64');
  // Fail closed on a damaged file rather than signing cookies with a weak key.
  if (bytes.length < SECRET_BYTES) {
    throw new Error(
      `${file} is damaged (expected ${SECRET_BYTES} base64 bytes). Delete it to create a new one; everyone will be signed out.`,
    );
  }
  return bytes;
}
