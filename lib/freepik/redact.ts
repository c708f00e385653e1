/**
 * Text the provider writes (error reasons, field names, messages) is not ours:
 * a provider that quotes the request back would quote the key header too. Every
 * such text passes through here before it can become an error message, a
 * task's reason, a log line or part of a page.
 */
export const REDACTED = '[redacted]';

/** The spellings a secret can take once a provider has re-encoded it. */
function spellings(secret: string): string[] {
  const jsonEscaped = JSON.stringify(secret).slice(1, -1);
  const forms = new Set([secret, encodeURIComponent(secret), jsonEscaped]);
  // Longest first, so a form that contains another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Replaces every exact (case-sensitive) occurrence of each secret with `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  // An empty secret would match between every character; config forbids one, but never trust that here.
  for (const secret of secrets.filter((s) => s.length > 0)) {
    for (const form of spellings(secret)) result = result.split(form).join(REDACTED);
  }
  return result;
}
