/**
 * Fitting a transcript into a model's context (pure). Tokens are estimated from characters, on the safe
 * side (3 characters a token; English runs near 4), so a part never overflows the context.
 */
export const CHARS_PER_TOKEN = 3;
/** Tokens kept for the instructions around the transcript. */
export const PROMPT_RESERVE_TOKENS = 600;
/** Used when the model list gives no context length. */
export const FALLBACK_CONTEXT_TOKENS = 32_000;

/** How many characters of transcript one request can carry, next to the instructions and the answer. */
export function transcriptBudgetChars(contextTokens: number | undefined, answerTokens: number): number {
  const context = contextTokens ?? FALLBACK_CONTEXT_TOKENS;
  return Math.max(200, (context - answerTokens - PROMPT_RESERVE_TOKENS) * CHARS_PER_TOKEN);
}

export const estimateTokens = (text: string): number => Math.ceil(text.length / CHARS_PER_TOKEN);

/**
 * Lines into parts of at most `budget` characters (joined by newlines), in order, never splitting a line
 * unless it alone is longer than a part.
 */
export function splitLines(lines: readonly string[], budget: number): string[][] {
  const parts: string[][] = [];
  let current: string[] = [];
  let size = 0;
  const push = (line: string): void => {
    const cost = line.length + 1;
    if (current.length > 0 && size + cost > budget) {
      parts.push(current);
      current = [];
      size = 0;
    }
    current.push(line);
    size += cost;
  };
  for (const line of lines) {
    if (line.length + 1 <= budget) push(line);
    else for (let i = 0; i < line.length; i += budget - 1) push(line.slice(i, i + budget - 1));
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

/** The most recent lines that fit in `budget` characters (the question key's "so far"). */
export function lastLines(lines: readonly string[], budget: number): { lines: string[]; dropped: number } {
  let size = 0;
  let i = lines.length;
  while (i > 0 && size + lines[i - 1]!.length + 1 <= budget) {
    i -= 1;
    size += lines[i]!.length + 1;
  }
  return { lines: lines.slice(i), dropped: i };
}
