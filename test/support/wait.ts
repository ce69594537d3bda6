/**
 * The one "wait until this holds or time out" helper of the test support code. The condition is checked at
 * once, then every `intervalMs` and, with `subscribe`, on every event the caller reports; the wait is always
 * bounded by `timeoutMs` and its rejection names `what` (a function is called at timeout, for diagnostics).
 */

export interface WaitOptions {
  timeoutMs: number;
  /** Polling interval. Default 50 ms; with `subscribe` the events do the work and polling is only a fallback. */
  intervalMs?: number;
  /** What is awaited, for the error message ("timed out after N ms waiting for <what>"). */
  what: string | (() => string);
  /** Registers a wake-up callback fired on relevant events; returns the unsubscribe function. */
  subscribe?: (wake: () => void) => () => void;
  /** Checked before each try: a message here means the condition can never hold; the wait rejects with it at once. */
  failIf?: () => string | undefined;
}

type Falsy = undefined | null | false;

/**
 * Resolves with the first truthy value of `pred` (which may be async; a throwing predicate counts as "not
 * yet"), or rejects after `timeoutMs`.
 */
export function waitUntil<T>(pred: () => T | Falsy | Promise<T | Falsy>, o: WaitOptions): Promise<T> {
  const deadline = Date.now() + o.timeoutMs;
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let checking = false;
    let again = false;
    let settled = false;
    const unsubscribe = o.subscribe?.(() => void check());
    const finish = (f: () => void): void => {
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      unsubscribe?.();
      f();
    };
    async function check(): Promise<void> {
      if (settled) return;
      if (checking) {
        again = true; // an event arrived during an async check: look once more afterwards
        return;
      }
      const hopeless = o.failIf?.();
      if (hopeless !== undefined) return finish(() => reject(new Error(hopeless)));
      checking = true;
      let value: T | Falsy;
      try {
        value = await pred();
      } catch {
        value = undefined;
      }
      checking = false;
      if (settled) return;
      if (value !== undefined && value !== null && value !== false) return finish(() => resolve(value));
      if (Date.now() >= deadline) {
        const what = typeof o.what === 'function' ? o.what() : o.what;
        return finish(() => reject(new Error(`timed out after ${o.timeoutMs} ms waiting for ${what}`)));
      }
      if (again) {
        again = false;
        return check();
      }
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => void check(), Math.max(1, Math.min(o.intervalMs ?? 50, deadline - Date.now())));
    }
    void check();
  });
}
