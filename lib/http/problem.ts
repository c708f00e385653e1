import { z } from 'zod';

/**
 * The one error shape of every route handler and of proxy.ts: problem details,
 * RFC 9457 (docs/decisions/0012-problem-details.md).
 *
 *   HTTP/1.1 400 Bad Request
 *   Content-Type: application/problem+json
 *   Cache-Control: no-store
 *
 *   { "type": "urn:darkroom:problem:invalid-request", "title": "Invalid request", "status": 400,
 *     "detail": "cursor is not a page cursor this server issued; start again without it.",
 *     "errors": { "cursor": ["cursor is not a page cursor this server issued; start again without it."] } }
 *
 * `detail` is the sentence for people (what the UI shows); `type` is what code
 * branches on; `errors` names the request's fields (query parameters, form
 * fields) that were wrong, each with its messages — the shape of zod's
 * `flattenError(…).fieldErrors`. Pure module (no `server-only`): the proxy, the
 * route handlers and the browser (lib/client/http-error.ts) share it.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Problem types code may rely on, with their fixed titles. Each is sent as
 * `urn:darkroom:problem:<kind>`: an identifier, never a link to fetch. Anything
 * without a kind of its own is `about:blank`, titled with the status's reason phrase.
 */
export const PROBLEM_KINDS = {
  /** 421: the Host header names a host this server does not answer to (ADR 0008). */
  'wrong-host': 'Unknown host name',
  /** 403: a mutating request without this server's Origin. */
  'cross-origin': 'Cross-origin request refused',
  /** 401: the access gate is on and the request has no valid session. */
  'sign-in-required': 'Sign in required',
  /** 400: the request is malformed; `errors` names the fields when there are any. */
  'invalid-request': 'Invalid request',
  /** 410: the stored picture is gone and could not be fetched again. */
  'picture-lost': 'Picture lost',
  /** 4xx from the provider webhook: not configured, unsigned, stale, malformed. */
  'webhook-rejected': 'Webhook rejected',
  /** 422: an uploaded zip that is not a Darkroom export (or is damaged). */
  'archive-rejected': 'Archive rejected',
} as const;

export type ProblemKind = keyof typeof PROBLEM_KINDS;

export const DEFAULT_PROBLEM_TYPE = 'about:blank';
const TYPE_PREFIX = 'urn:darkroom:problem:';

/** The `type` URI of a well-known problem: compare answers against this, never against titles or details. */
export function problemType(kind: ProblemKind): string {
  return `${TYPE_PREFIX}${kind}`;
}

/** Per request field (query parameter, form field): its messages. */
export const fieldErrorsSchema = z.record(z.string(), z.array(z.string()));
export type ProblemFieldErrors = z.infer<typeof fieldErrorsSchema>;

/** What every error answer of ours is. Extension members of other servers' problems are ignored. */
export const problemSchema = z.object({
  type: z.string().default(DEFAULT_PROBLEM_TYPE),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string(),
  errors: fieldErrorsSchema.optional(),
});
export type Problem = z.infer<typeof problemSchema>;

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The reason phrase of a status (the title of an `about:blank` problem). */
export function reasonPhrase(status: number): string {
  return REASON[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

export type ProblemInit = {
  /** For people: today's message, shown as it is. */
  detail: string;
  /** A well-known kind; omitted means `about:blank`. */
  type?: ProblemKind;
  /** Overrides the kind's (or the status's) title; rarely needed. */
  title?: string;
  errors?: ProblemFieldErrors;
  /** Extra response headers (e.g. `connection: close`). */
  headers?: HeadersInit;
};

/** The body alone, for tests and for callers that build their own response. */
export function problemBody(status: number, init: ProblemInit): Problem {
  return {
    type: init.type ? problemType(init.type) : DEFAULT_PROBLEM_TYPE,
    title: init.title ?? (init.type ? PROBLEM_KINDS[init.type] : reasonPhrase(status)),
    status,
    detail: init.detail,
    ...(init.errors ? { errors: init.errors } : {}),
  };
}

/**
 * An error answer. Never cached: a repaired picture, a fixed setting or a new
 * session must show on the next try.
 */
export function problem(status: number, init: ProblemInit): Response {
  const headers = new Headers(init.headers);
  headers.set('content-type', PROBLEM_CONTENT_TYPE);
  headers.set('cache-control', 'no-store');
  return new Response(JSON.stringify(problemBody(status, init)), { status, headers });
}

/** Whether a Content-Type header announces problem details. */
export function isProblemContentType(contentType: string | null | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === PROBLEM_CONTENT_TYPE;
}
