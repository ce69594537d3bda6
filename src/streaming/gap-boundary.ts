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
 * The index in the middle of the first pause in [from, to): the first run of at least `pauseFrames` quiet
 * frames, taken to its end (or to `to`), so that the phrase before it and the one after both keep some of the
 * silence a recognizer wants around speech. Undefined when there is none. `quiet(i)` says whether frame i is quiet.
 */
export function pauseBoundary(quiet: (index: number) => boolean, from: number, to: number, pauseFrames: number): number | undefined {
  const need = Math.max(1, pauseFrames);
  let runStart = from;
  for (let i = from; i < to; i += 1) {
    if (quiet(i)) continue;
    if (i - runStart >= need) return runStart + Math.floor((i - runStart) / 2);
    runStart = i + 1;
  }
  return to - runStart >= need ? runStart + Math.floor((to - runStart) / 2) : undefined;
}
