/**
 * The secrets of a run (the API key, a --token, every token --token-command minted) and the one scrub that
 * every text passes on its way out: stdout, stderr, the -o file, NDJSON error events, and any later sink
 * (wrap its write with `guard`). A secret is replaced wherever it appears, also in its JSON-escaped and
 * URL-encoded forms, so a service's error text, close reason, refused upgrade body or turn text that echoes
 * it never reaches a reader. The set only grows: a token minted mid-run is added before it is used.
 * It is also the one rule for secrets shown to people (`live-transcribe config`, doctor): never any part of
 * them, always REDACTED.
 */

import type { Credentials } from './types.js';

/** The secret of a credential: the key or the token; none for a --token-command (each token it mints is added as it comes). */
export function secretOf(credentials: Credentials): string | undefined {
  return credentials.kind === 'key' ? credentials.apiKey : credentials.kind === 'token' ? credentials.token : undefined;
}

/** Shorter strings are not treated as secrets (they would blank ordinary words). */
export const MIN_SECRET_LENGTH = 4;
export const REDACTED = '[redacted]';

/** What is shown instead of a secret value. */
export function maskSecret(_value: string): string {
  return REDACTED;
}

export interface Secrets {
  /** Adds a secret (ignored when empty or shorter than MIN_SECRET_LENGTH); from now on it is scrubbed. */
  add(secret: string | undefined): void;
  /** The text with every secret replaced by [redacted]. */
  scrub(text: string): string;
  /** A write function that scrubs what it is given, then writes it. */
  guard<R>(write: (text: string) => R): (text: string) => R;
  readonly size: number;
}

/** Every form in which a secret can appear in what is written: as is, JSON-escaped, URL-encoded. */
function formsOf(secret: string): string[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
  // Longest first, so a form that contains another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Pure: `text` with every form of every secret replaced. */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of formsOf(secret)) if (out.includes(form)) out = out.split(form).join(REDACTED);
  }
  return out;
}

export function createSecrets(initial: Iterable<string | undefined> = []): Secrets {
  const set = new Set<string>();
  const add = (secret: string | undefined): void => {
    const s = secret?.trim();
    if (s !== undefined && s.length >= MIN_SECRET_LENGTH) set.add(s);
  };
  for (const s of initial) add(s);
  // Longest first: a secret that contains another is replaced whole.
  const ordered = (): string[] => [...set].sort((a, b) => b.length - a.length);
  const scrub = (text: string): string => (set.size === 0 ? text : scrubSecrets(text, ordered()));
  return {
    add,
    scrub,
    guard: (write) => (text) => write(scrub(text)),
    get size() {
      return set.size;
    },
  };
}
