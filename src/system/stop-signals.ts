/**
 * Whether a stop signal is a new press or the same Ctrl+C delivered twice (issue 24.9). Pure.
 *
 * A terminal sends Ctrl+C's SIGINT to the whole foreground process group; under npm (npx, npm exec, npm run)
 * npm forwards it to the child as well, so one press can arrive twice, a few ms apart. Only then is a second
 * signal that close to the first the same press. Run directly, every second press counts: a quick double
 * Ctrl+C quits at once.
 */

/** How close two deliveries of one press come under npm (they come within a few ms). */
export const DUPLICATE_WINDOW_MS = 50;

/** True when the environment says npm started this process (it forwards signals it also received). */
export function startedByNpm(env: Readonly<Record<string, string | undefined>>): boolean {
  return (env.npm_execpath ?? '') !== '' || (env.npm_lifecycle_event ?? '') !== '' || (env.npm_command ?? '') !== '';
}

/** A second signal at `now` after the first at `firstAt`: the same press (ignored) or a new one (force). */
export function isSamePress(now: number, firstAt: number, underNpm: boolean): boolean {
  return underNpm && now - firstAt < DUPLICATE_WINDOW_MS;
}
