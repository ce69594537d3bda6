/**
 * `--stop-phrase` (pure): a final turn that ends with one of the phrases stops the run, and is written without
 * it. Turn and phrase are compared word by word (Unicode word boundaries, Intl.Segmenter), without case and
 * punctuation, so "Stop, recording." ends with "stop recording" and "nonstop recording" (or "non-stop
 * recording") does not. What is kept of the turn keeps its own casing and punctuation.
 */
import type { TranscriptEvent, TurnRecord } from './records.js';

export interface StopPhraseMatch {
  /** The turn ends with a stop phrase: stop the run after writing `text`. */
  stop: boolean;
  /** The turn without the phrase (repeated at the end, each one); '' when it was only the phrase. The turn as given when `stop` is false. */
  text: string;
}

export interface StopPhraseMatcher {
  match(text: string): StopPhraseMatch;
  /** `words` without the ones that say the trailing phrase, so JSON, SRT and VTT agree with the text. */
  stripWords<W extends { text: string }>(words: readonly W[]): W[];
}

interface Token {
  /** Case-folded, NFKC, letters, marks and digits only. */
  norm: string;
  start: number;
  end: number;
}

/** Made at the first use, not at load: creating it loads ICU's word-break data (about 10 ms before connecting). */
let segmenter: Intl.Segmenter | undefined;

const normalizeWord = (word: string): string =>
  word
    .normalize('NFKC')
    // Upper then lower case: close to Unicode case folding ("Straße" = "STRASSE", final sigma = sigma).
    .toUpperCase()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]/gu, '');

/** The words of `text` with where each is; "non-stop" is one word (a dash between letters joins them). */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let joinAt = -1;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' });
  for (const { segment, index, isWordLike } of segmenter.segment(text)) {
    const last = tokens[tokens.length - 1];
    if (isWordLike !== true) {
      joinAt = last !== undefined && last.end === index && /^\p{Pd}$/u.test(segment) ? index + segment.length : -1;
      continue;
    }
    const norm = normalizeWord(segment);
    if (norm === '') continue;
    if (last !== undefined && index === joinAt) {
      last.norm += norm;
      last.end = index + segment.length;
    } else {
      tokens.push({ norm, start: index, end: index + segment.length });
    }
    joinAt = -1;
  }
  return tokens;
}

/** The words a phrase is compared by ("Stop, recording!" -> ['stop', 'recording']); [] for a phrase with no words. */
export function stopPhraseWords(phrase: string): string[] {
  return tokenize(phrase).map((t) => t.norm);
}

/** Where the trailing phrases begin in `tokens` (the longest phrase first, repeated phrases all), or undefined. */
function trailingPhraseStart(tokens: readonly Token[], phrases: readonly (readonly string[])[]): number | undefined {
  let end = tokens.length;
  for (;;) {
    const phrase = phrases.find((p) => p.length <= end && p.every((w, i) => tokens[end - p.length + i]?.norm === w));
    if (phrase === undefined) return end === tokens.length ? undefined : end;
    end -= phrase.length;
  }
}

/**
 * What may sit between the rest of the turn and the phrase, and goes with the phrase: spaces, commas, dashes, opening
 * quotes, and `…、，；：` written as escapes (scripts/bundle.mjs keeps dist/ ASCII-only).
 */
const BEFORE_PHRASE = /[\s,;:\p{Pd}\p{Ps}\p{Pi}"\u2026\u3001\uff0c\uff1b\uff1a]+$/u;

/**
 * A matcher for `phrases` (each `--stop-phrase`). Throws a TypeError on a phrase with no words (only
 * punctuation or spaces): refuse it as a usage error before calling this.
 */
export function createStopPhraseMatcher(phrases: readonly string[]): StopPhraseMatcher {
  const list = phrases.map((p) => {
    const words = stopPhraseWords(p);
    if (words.length === 0) throw new TypeError(`stop phrase ${JSON.stringify(p)} has no words`);
    return words;
  });
  list.sort((a, b) => b.length - a.length);
  return {
    match(text) {
      const tokens = tokenize(text);
      const start = trailingPhraseStart(tokens, list);
      if (start === undefined) return { stop: false, text };
      return { stop: true, text: text.slice(0, tokens[start]?.start ?? 0).replace(BEFORE_PHRASE, '') };
    },
    stripWords(words) {
      const tokens = words.flatMap((w, word) => tokenize(w.text).map((t, i) => ({ ...t, word, first: i === 0 })));
      const start = trailingPhraseStart(tokens, list);
      const from = start === undefined ? undefined : tokens[start];
      if (from === undefined) return [...words];
      // A word holding the end of the text and the start of the phrase is kept whole.
      return words.slice(0, from.first ? from.word : from.word + 1);
    },
  };
}

/**
 * A final turn through the matcher, between the assembler and the sinks: `turn` is what to write (text and
 * words without the phrase, ending where its last kept word ends), undefined when nothing is left to write.
 */
export function applyStopPhrase(matcher: StopPhraseMatcher, turn: TurnRecord): { stop: boolean; turn: TurnRecord | undefined } {
  const m = matcher.match(turn.text);
  if (!m.stop) return { stop: false, turn };
  if (m.text.trim() === '') return { stop: true, turn: undefined };
  const words = matcher.stripWords(turn.words);
  const endMs = words[words.length - 1]?.endMs ?? turn.endMs;
  return { stop: true, turn: { ...turn, text: m.text, words, endMs } };
}

/**
 * The assembler's `emit`, with the stop phrase applied: a final turn ending with a phrase is passed on without
 * it (or not at all when nothing is left), then `onStop()` is called once; turns and partials after it are
 * dropped (the run is stopping), every other event passes through.
 */
export function createStopPhraseEmit(
  matcher: StopPhraseMatcher,
  emit: (event: TranscriptEvent) => void,
  onStop: () => void,
): (event: TranscriptEvent) => void {
  let stopped = false;
  return (event) => {
    if (event.type !== 'turn' && event.type !== 'partial') return emit(event);
    if (stopped) return;
    if (event.type === 'partial') return emit(event);
    const r = applyStopPhrase(matcher, event.turn);
    if (r.turn !== undefined) emit({ type: 'turn', turn: r.turn });
    if (!r.stop) return;
    stopped = true;
    onStop();
  };
}
