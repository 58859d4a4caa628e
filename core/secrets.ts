// Keeps passwords out of everything djongoose lets escape: log lines, error
// messages, stacks and `cause` chains. The driver's own errors may quote a
// connection string, so they are rebuilt rather than passed through.

const MASK = '***';

/** Every spelling of a secret that can show up in text: raw and URL-encoded. */
function spellings(secrets: readonly string[]): string[] {
  const all = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    all.add(secret);
    all.add(encodeURIComponent(secret));
  }
  // Longest first, so a secret that contains another is masked whole.
  return [...all].sort((a, b) => b.length - a.length);
}

/** Replaces each secret in `text` with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of spellings(secrets)) {
    // Masking can splice a new occurrence together ("a*" in "aa*"), so repeat.
    for (let i = 0; i < 8 && out.includes(secret) && !MASK.includes(secret); i++) out = out.split(secret).join(MASK);
  }
  // `user:password@` in a URI, even for a password we were not told about.
  return out.replace(/(mongodb(?:\+srv)?:\/\/[^:/@\s]+:)[^@\s]*@/g, `$1${MASK}@`);
}

/**
 * A copy of `err` and its `cause` chain as plain Errors whose name, message and
 * stack have the secrets masked. Other properties (the driver's topology
 * descriptions, options objects) are dropped, since any of them may hold a
 * credential.
 */
export function scrubError(err: unknown, secrets: readonly string[], depth = 0): Error {
  const source = err instanceof Error ? err : new Error(String(err));
  const copy = new Error(redact(source.message, secrets), {
    cause: source.cause !== undefined && depth < 8 ? scrubError(source.cause, secrets, depth + 1) : undefined,
  });
  copy.name = source.name;
  copy.stack = source.stack === undefined ? undefined : redact(source.stack, secrets);
  if (copy.cause === undefined) delete copy.cause;
  return copy;
}
