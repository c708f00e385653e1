/**
 * What a server action returns: a typed result, never a thrown error (a throw
 * reaches the browser as an opaque "An error occurred in the Server Components
 * render"). `error` is the sentence to show people; `fieldErrors` puts messages
 * next to form fields. Route handlers answer problem details instead
 * (lib/http/problem.ts). Client-safe: components narrow on `ok`.
 */
export type Failure<Field extends string = string> = {
  ok: false;
  error: string;
  fieldErrors?: Partial<Record<Field, string>>;
};

export type Result<T extends object, Field extends string = string> = ({ ok: true } & T) | Failure<Field>;

export function ok<T extends object>(value: T): { ok: true } & T {
  return { ok: true, ...value };
}

export function fail<Field extends string = string>(error: string, fieldErrors?: Partial<Record<Field, string>>): Failure<Field> {
  return fieldErrors ? { ok: false, error, fieldErrors } : { ok: false, error };
}
