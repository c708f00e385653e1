/**
 * Typed upstream failures. Messages are written for people and never contain
 * the API key, request headers or signed URLs.
 */
export type UpstreamErrorKind =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'rate-limited'
  | 'server-error'
  | 'unavailable'
  | 'timeout'
  | 'network'
  | 'invalid-response';

const MESSAGES: Record<UpstreamErrorKind, string> = {
  'bad-request': 'The provider rejected the request.',
  unauthorized: 'The provider rejected the API key. Check FREEPIK_API_KEY.',
  forbidden: 'The provider refused access (the link may have expired).',
  'not-found': 'The provider does not know this task.',
  'rate-limited': 'The provider is rate limiting requests; trying again shortly.',
  'server-error': 'The provider had an internal error.',
  unavailable: 'The provider is temporarily unavailable.',
  timeout: 'The provider did not answer in time.',
  network: 'Could not reach the provider.',
  'invalid-response': 'The provider sent a response Darkroom could not understand.',
};

/**
 * The one retry policy: what a failed provider call means for the next step.
 *   transient        the provider did not take the request (429, 503): the same call may be sent again after a wait
 *   unknown-outcome  it may or may not have been processed (500, timeout, dropped connection, unreadable answer):
 *                    a read may be repeated, a create must be reconciled first (ADR 0005), never blindly resent
 *   refused          credentials or a link were refused (401, 403): a read of a signed link needs a fresh link;
 *                    an API call needs a person to fix the key
 *   fatal            repeating the same call cannot help (400, 404)
 */
export type FailureClass = 'transient' | 'unknown-outcome' | 'refused' | 'fatal';

const CLASS_OF: Record<UpstreamErrorKind, FailureClass> = {
  'rate-limited': 'transient',
  unavailable: 'transient',
  'server-error': 'unknown-outcome',
  timeout: 'unknown-outcome',
  network: 'unknown-outcome',
  'invalid-response': 'unknown-outcome',
  unauthorized: 'refused',
  forbidden: 'refused',
  'bad-request': 'fatal',
  'not-found': 'fatal',
};

export function failureClass(kind: UpstreamErrorKind): FailureClass {
  return CLASS_OF[kind];
}

/** A read (status, list, download) may be repeated after a wait for any failure that is not refused or fatal. */
export function readMayRetry(kind: UpstreamErrorKind): boolean {
  const failure = failureClass(kind);
  return failure === 'transient' || failure === 'unknown-outcome';
}

export type InvalidParam = { name: string; reason: string };

export class UpstreamError extends Error {
  /** See FailureClass: the follower decides its next step from this alone. */
  readonly failure: FailureClass;

  constructor(
    readonly kind: UpstreamErrorKind,
    readonly details: { status?: number; invalidParams?: InvalidParam[]; retryAfterMs?: number } = {},
  ) {
    super(messageFor(kind, details.invalidParams));
    this.name = 'UpstreamError';
    this.failure = failureClass(kind);
  }
}

function messageFor(kind: UpstreamErrorKind, invalidParams?: InvalidParam[]): string {
  if (kind === 'bad-request' && invalidParams?.length) {
    const reasons = invalidParams.map((p) => `${p.name}: ${p.reason}`).join('; ');
    return `The provider rejected the request (${reasons}).`;
  }
  return MESSAGES[kind];
}

export function kindForStatus(status: number): UpstreamErrorKind {
  if (status === 400 || status === 422) return 'bad-request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status === 503 || status === 502 || status === 504) return 'unavailable';
  return 'server-error';
}

/** `Retry-After` is undocumented upstream, but honoured if it ever appears. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
