/**
 * Echo (issue 13): when the microphone hears the speakers, the others' words come twice, once from the
 * system audio and once, a little later and less clean, from the microphone. A microphone turn is an echo
 * when it overlaps a system-audio turn in time (within a margin: the sources' timelines and the service's
 * word times differ a little) and says nearly the same words. Pure; headphones avoid the echo altogether.
 */
import type { MergeItem } from './merge.js';

export interface TimedText {
  text: string;
  /** On the run's timeline (ms). */
  startMs: number;
  endMs: number;
}

export interface EchoOptions {
  /** How far apart in time the two turns may be and still overlap (default 1000 ms). */
  marginMs?: number;
  /** How alike the words must be, 0..1 (default 0.6): see textSimilarity. */
  minSimilarity?: number;
}

export const DEFAULT_ECHO_MARGIN_MS = 1000;
export const DEFAULT_ECHO_SIMILARITY = 0.6;

/** The words of `text`, compared loosely: lower case, without accents and punctuation. */
export function normaliseWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
}

/**
 * How alike two texts are, 0..1: the better of the words' Jaccard index (the same words, in any order)
 * and one minus their word edit distance over the longer length (the same words in the same order, a few
 * missed or misheard). Two empty texts are not alike (0).
 */
export function textSimilarity(a: string, b: string): number {
  const x = normaliseWords(a);
  const y = normaliseWords(b);
  if (x.length === 0 || y.length === 0) return 0;
  const setX = new Set(x);
  const setY = new Set(y);
  const shared = [...setX].filter((w) => setY.has(w)).length;
  const jaccard = shared / (setX.size + setY.size - shared);
  const edit = 1 - wordEditDistance(x, y) / Math.max(x.length, y.length);
  return Math.max(jaccard, edit);
}

/** Whether `mic` repeats `system`: said at the same moment (within the margin) and nearly the same words. */
export function isEchoOf(mic: TimedText, system: TimedText, o: EchoOptions = {}): boolean {
  const marginMs = o.marginMs ?? DEFAULT_ECHO_MARGIN_MS;
  const overlaps = mic.startMs <= system.endMs + marginMs && mic.endMs >= system.startMs - marginMs;
  return overlaps && textSimilarity(mic.text, system.text) >= (o.minSimilarity ?? DEFAULT_ECHO_SIMILARITY);
}

/** The system-audio turn that `mic` repeats, or undefined: then `mic` is the user's own words. */
export function findEchoSource<S extends TimedText>(mic: TimedText, systemTurns: readonly S[], o: EchoOptions = {}): S | undefined {
  return systemTurns.find((s) => isEchoOf(mic, s, o));
}

export interface EchoFilterOptions<T> extends EchoOptions {
  /** The microphone sources, whose turns may be echoes. */
  microphones: readonly string[];
  /** The system-audio sources, whose turns are the originals. */
  systems: readonly string[];
  text: (value: T) => string;
}

/** A `drop` filter for createTurnMerger: drops a microphone turn that repeats a system-audio turn. */
export function createEchoFilter<T>(o: EchoFilterOptions<T>): (item: MergeItem<T>, others: readonly MergeItem<T>[]) => boolean {
  const timed = (i: MergeItem<T>): TimedText => ({ text: o.text(i.value), startMs: i.startMs, endMs: i.endMs });
  return (item, others) => {
    if (!o.microphones.includes(item.source)) return false;
    const originals = others.filter((x) => o.systems.includes(x.source)).map(timed);
    return findEchoSource(timed(item), originals, o) !== undefined;
  };
}

function wordEditDistance(a: readonly string[], b: readonly string[]): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length]!;
}
