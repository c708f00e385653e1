import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateSecret, SECRET_FILE } from '@/lib/auth/secret';
import { deriveKeys, issueToken, passwordMatches, SESSION_TTL_SECONDS, verifyToken } from '@/lib/auth/session';

const secret = Buffer.alloc(32, 7);
const keys = deriveKeys(secret, 'correct horse battery');
const now = Date.UTC(2026, 10, 26, 12, 0, 0);
const day = 24 * 60 * 60 * 1000;

describe('session token', () => {
  it('gives every session its own id', () => {
    expect(issueToken(keys.cookie, now).split('.')[1]).not.toBe(issueToken(keys.cookie, now).split('.')[1]);
  });

  it('verifies a token it issued, for its whole lifetime', () => {
    const token = issueToken(keys.cookie, now);
    expect(verifyToken(keys.cookie, token, now)).toEqual({
      ok: true,
      id: token.split('.')[1],
      issuedAt: now / 1000,
      expiresAt: now / 1000 + SESSION_TTL_SECONDS,
    });
    expect(verifyToken(keys.cookie, token, now + 29 * day).ok).toBe(true);
  });

  it('rejects it once expired (about 30 days)', () => {
    const token = issueToken(keys.cookie, now);
    expect(verifyToken(keys.cookie, token, now + 30 * day)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyToken(keys.cookie, issueToken(keys.cookie, now, 60), now + 61_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('rejects any tampering: longer expiry, other signature, truncation, garbage', () => {
    const token = issueToken(keys.cookie, now);
    const [v, id, iat, exp, sig] = token.split('.');
    const later = `${v}.${id}.${iat}.${Number(exp) + 365 * 86400}.${sig}`;
    expect(verifyToken(keys.cookie, later, now)).toEqual({ ok: false, reason: 'signature' });
    const otherId = `${v}.${id[0] === 'A' ? 'B' : 'A'}${id.slice(1)}.${iat}.${exp}.${sig}`;
    expect(verifyToken(keys.cookie, otherId, now)).toEqual({ ok: false, reason: 'signature' });
    const flipped = `${v}.${id}.${iat}.${exp}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expect(verifyToken(keys.cookie, flipped, now)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyToken(keys.cookie, token.slice(0, -1), now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyToken(keys.cookie, `${token}x`, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyToken(keys.cookie, 'v1.1.2', now)).toEqual({ ok: false, reason: 'malformed' });
    // A v1 cookie (no id, so it could not be revoked) is no longer accepted.
    expect(verifyToken(keys.cookie, `v1.${iat}.${exp}.${sig}`, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyToken(keys.cookie, '', now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyToken(keys.cookie, undefined, now)).toEqual({ ok: false, reason: 'missing' });
  });

  it('rejects a validly signed token with a lifetime longer than allowed', () => {
    const token = issueToken(keys.cookie, now, SESSION_TTL_SECONDS + 1);
    expect(verifyToken(keys.cookie, token, now)).toEqual({ ok: false, reason: 'expired' });
  });

  it('rejects a token issued under another password or another server secret', () => {
    const token = issueToken(keys.cookie, now);
    expect(verifyToken(deriveKeys(secret, 'a different password').cookie, token, now)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyToken(deriveKeys(Buffer.alloc(32, 8), 'correct horse battery').cookie, token, now)).toEqual({
      ok: false,
      reason: 'signature',
    });
    // Same inputs, same keys: a restart keeps everyone signed in.
    expect(verifyToken(deriveKeys(Buffer.from(secret), 'correct horse battery').cookie, token, now).ok).toBe(true);
  });

  it('does not use the password-comparison key for cookies', () => {
    expect(keys.cookie.equals(keys.compare)).toBe(false);
    expect(verifyToken(keys.compare, issueToken(keys.cookie, now), now).ok).toBe(false);
  });
});

describe('password comparison', () => {
  it('accepts exactly the password', () => {
    expect(passwordMatches(keys, 'correct horse battery', 'correct horse battery')).toBe(true);
    expect(passwordMatches(keys, 'correct horse batter', 'correct horse battery')).toBe(false);
    expect(passwordMatches(keys, 'correct horse battery ', 'correct horse battery')).toBe(false);
    expect(passwordMatches(keys, '', 'correct horse battery')).toBe(false);
    expect(passwordMatches(keys, 'Correct horse battery', 'correct horse battery')).toBe(false);
  });
});

describe('server secret file', () => {
  it('is created once with mode 0600 and read back unchanged after a "restart"', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'auth-')), 'nested');
    const first = loadOrCreateSecret(dir);
    expect(first.length).toBe(32);
    const file = path.join(dir, SECRET_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecret(dir).equals(first)).toBe(true);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('base64'));
  });

  it('differs between installations', () => {
    const a = loadOrCreateSecret(mkdtempSync(path.join(tmpdir(), 'auth-')));
    const b = loadOrCreateSecret(mkdtempSync(path.join(tmpdir(), 'auth-')));
    expect(a.equals(b)).toBe(false);
  });

  it('refuses a damaged file instead of using a weak key', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'auth-'));
    writeFileSync(path.join(dir, SECRET_FILE), 'c2hvcnQ=\n');
    expect(() => loadOrCreateSecret(dir)).toThrow(/damaged/);
  });
});
