import { randomBytes } from 'node:crypto';

/**
 * Headers every response that passes proxy.ts carries. The CSP is nonce-based
 * (Next reads the nonce from the request's CSP header and puts it on its own
 * scripts; 'strict-dynamic' extends trust to the chunks they load), so no
 * inline script of anyone else's runs. Styles allow 'unsafe-inline' because
 * React's style attributes (the virtual gallery positions tiles with them) are
 * inline styles. Nothing may frame Darkroom (clickjacking).
 */
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export const STATIC_SECURITY_HEADERS: Record<string, string> = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};
