/**
 * The one rule for secrets shown to people (API keys, tokens): never any part of them. A secret is shown as
 * REDACTED, whether it is a setting's value (`live-transcribe config`) or a piece of a message (an error
 * that quoted it, doctor's report). Pure.
 */
export const REDACTED = '[redacted]';

/** What is shown instead of a secret value. */
export function maskSecret(_value: string): string {
  return REDACTED;
}

/** `text` with every occurrence of each secret (of 4 characters or more: shorter ones match too much) replaced. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}
