import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Session tokens and password checks: pure functions of a key, so they are
 * unit-tested without files or a server. See docs/decisions/0008-access-gate.md.
 *
 * Token: `v2.<id>.<issued-at s>.<expires-at s>.<base64url HMAC-SHA256(key, "v2.<id>.<iat>.<exp>")>`.
 * It carries no identity (there is one password, so one kind of user), only a
 * random id (so Sign out can revoke this one session: lib/auth/revocations.ts)
 * and its lifetime; the signature makes it unforgeable without the key.
 */

export const SESSION_COOKIE = 'darkroom_session';
export const SESSION_TTL_SECONDS = 30 * 24 * 60 * 60;
/** Tolerated clock difference for a token "issued in the future". */
const SKEW_SECONDS = 60;
const VERSION = 'v2';

export type SessionKeys = {
  /** Signs and verifies cookies. */
  cookie: Buffer;
  /** Keys the HMACs that make the password comparison constant-time. */
  compare: Buffer;
};

/**
 * Both keys come from the server secret with HKDF-SHA256. The salt is a hash of
 * the password, so changing APP_PASSWORD invalidates every existing cookie.
 */
export function deriveKeys(secret: Buffer, password: string): SessionKeys {
  const salt = createHash('sha256').update(`darkroom app password\0${password}`).digest();
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, salt, info, 32));
  return { cookie: derive('darkroom session cookie v1'), compare: derive('darkroom password compare v1') };
}

function sign(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

export function issueToken(key: Buffer, nowMs: number, ttlSeconds = SESSION_TTL_SECONDS): string {
  const id = randomBytes(16).toString('base64url');
  const iat = Math.floor(nowMs / 1000);
  const payload = `${VERSION}.${id}.${iat}.${iat + ttlSeconds}`;
  return `${payload}.${sign(key, payload).toString('base64url')}`;
}

export type TokenVerdict =
  { ok: true; id: string; issuedAt: number; expiresAt: number } | { ok: false; reason: 'missing' | 'malformed' | 'signature' | 'expired' };

const TOKEN_PATTERN = /^v2\.([A-Za-z0-9_-]{22})\.(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

/** Signature and lifetime only; whether the session was signed out is lib/auth/keys.ts's question. */
export function verifyToken(key: Buffer, token: string | undefined, nowMs: number): TokenVerdict {
  if (!token) return { ok: false, reason: 'missing' };
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, id, iatText, expText, sigText] = match;
  const given = Buffer.from(sigText, 'base64url');
  const expected = sign(key, `${VERSION}.${id}.${iatText}.${expText}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  const iat = Number(iatText);
  const exp = Number(expText);
  const now = nowMs / 1000;
  if (now >= exp || iat > now + SKEW_SECONDS || exp - iat > SESSION_TTL_SECONDS) return { ok: false, reason: 'expired' };
  return { ok: true, id, issuedAt: iat, expiresAt: exp };
}

/**
 * Constant-time password check: both strings are HMAC'd to 32 bytes first, so
 * neither their contents nor their lengths change how long the comparison takes.
 */
export function passwordMatches(keys: SessionKeys, candidate: string, password: string): boolean {
  const a = createHmac('sha256', keys.compare).update(candidate).digest();
  const b = createHmac('sha256', keys.compare).update(password).digest();
  return timingSafeEqual(a, b);
}
