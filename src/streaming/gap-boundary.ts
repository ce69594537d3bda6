/**
 * Issue 22: where a spooled gap ends and the next session's replay begins. The replay bound falls wherever the
 * outage put it, often in the middle of a phrase: the phrase would then come back as two turns, its start
 * recovered through the pre-recorded API and its end live. So the boundary moves forward to the first pause
 * in the audio held for replay (the audio up to it goes to the spool with the rest of the gap). Pure.
 */

/** A pause is at least this much quiet audio (speech has shorter stops between words). */
export const GAP_PAUSE_MS = 300;
/** How far past the replay bound a pause is looked for; without one the boundary stays where it was. */
export const GAP_PAUSE_SEARCH_MS = 10_000;

/**
 * Where to cut, at or after `from`: in the middle of the first pause, a run of at least `pauseFrames` quiet
 * frames taken to its end (or to `to`), so that the phrase before it and the one after both keep some of the
 * silence a recognizer wants around speech. A pause that began before `from` (frames from `heldFrom` on can
 * be looked at) counts too: then the cut is `from` itself when the pause's middle is already behind.
 * Undefined when there is no pause in [from, to). `quiet(i)` says whether frame i is quiet.
 */
export function pauseBoundary(
  quiet: (index: number) => boolean,
  from: number,
  to: number,
  pauseFrames: number,
  heldFrom: number = from,
): number | undefined {
  const need = Math.max(1, pauseFrames);
  const cut = (start: number, end: number): number => Math.max(from, start + Math.floor((end - start) / 2));
  let runStart = from;
  while (runStart > heldFrom && runStart > from - need && quiet(runStart - 1)) runStart -= 1;
  for (let i = from; i < to; i += 1) {
    if (quiet(i)) continue;
    if (i - runStart >= need) return cut(runStart, i);
    runStart = i + 1;
  }
  return to - runStart >= need && to > from ? cut(runStart, to) : undefined;
}
