import type { z } from 'zod';
import {
  DEFAULT_PROBLEM_TYPE,
  isProblemContentType,
  problemSchema,
  problemType,
  type ProblemFieldErrors,
  type ProblemKind,
} from '../http/problem';

/**
 * A non-2xx answer from one of our routes, read from its problem details
 * (lib/http/problem.ts). `message` is `detail`: the sentence to show people.
 * An answer that is not problem details (a crash page, a reverse proxy's
 * error, a dropped connection's empty body) gets the caller's fallback text.
 */
export class HttpError extends Error {
  readonly status: number;
  /** `urn:darkroom:problem:<kind>` or `about:blank`; test with `is()`. */
  readonly type: string;
  readonly title: string;
  /** Per request field, its messages (empty when the problem names no field). */
  readonly errors: ProblemFieldErrors;

  constructor(init: { status: number; type?: string; title?: string; detail: string; errors?: ProblemFieldErrors }) {
    super(init.detail);
    this.name = 'HttpError';
    this.status = init.status;
    this.type = init.type ?? DEFAULT_PROBLEM_TYPE;
    this.title = init.title ?? '';
    this.errors = init.errors ?? {};
  }

  get detail(): string {
    return this.message;
  }

  is(kind: ProblemKind): boolean {
    return this.type === problemType(kind);
  }
}

/** From an answer's parts (XMLHttpRequest gives them apart); `fallback` when the body is no problem of ours. */
export function httpErrorFromText(status: number, contentType: string | null, text: string, fallback: string): HttpError {
  if (isProblemContentType(contentType)) {
    try {
      const parsed = problemSchema.safeParse(JSON.parse(text));
      if (parsed.success) return new HttpError({ ...parsed.data, status });
    } catch {
      // not JSON after all: the fallback below
    }
  }
  return new HttpError({ status, detail: fallback });
}

/** Reads a non-2xx Response into an HttpError (consumes the body). */
export async function httpErrorOf(response: Response, fallback = `The request failed (HTTP ${response.status}).`): Promise<HttpError> {
  const text = await response.text().catch(() => '');
  return httpErrorFromText(response.status, response.headers.get('content-type'), text, fallback);
}

/**
 * GET (or `init`) one of our JSON routes: the parsed body, or an HttpError
 * for a non-2xx answer. Never served from the browser cache.
 */
export async function fetchJson<S extends z.ZodType>(
  url: string,
  schema: S,
  { init, fallback }: { init?: RequestInit; fallback?: (status: number) => string } = {},
): Promise<z.output<S>> {
  const response = await fetch(url, { cache: 'no-store', ...init });
  if (!response.ok) throw await httpErrorOf(response, fallback?.(response.status));
  return schema.parse(await response.json());
}
