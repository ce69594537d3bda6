/**
 * Non-ASCII text on X11 without losing characters. xdotool types a character missing from the keymap by
 * binding it to a spare keycode, pressing it, and unbinding it at once; a client that looks the key up after
 * the unbinding (any X client under load) gets nothing: under Xvfb on a busy machine accents and emoji were
 * dropped at every --delay tried (12 to 80 ms). Bound beforehand with xmodmap, and left bound while
 * dictation runs, they are ordinary keys: xdotool presses them without rebinding, and nothing is lost.
 * The keycodes used are unbound again when dictation ends.
 */
import type { Exec } from '../system/exec.js';

/** The keycodes with no keysym at all (`xmodmap -pke` prints `keycode  93 =`). */
export function emptyKeycodes(pke: string): number[] {
  return [...pke.matchAll(/^keycode\s+(\d+)\s*=\s*$/gm)].map((m) => Number(m[1]));
}

/** The keysym name of a character: U+00FC -> `U00FC`, U+1F389 -> `U1F389`. */
export function keysymFor(ch: string): string {
  return `U${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The distinct characters outside ASCII, in order of first appearance. */
export function nonAsciiChars(text: string): string[] {
  return [...new Set([...text].filter((c) => c.codePointAt(0)! > 0x7f))];
}

/**
 * Which keycodes to bind for `chars`: those already bound stay; new ones take a free keycode, else the one
 * used least recently that this text does not need. Pure; `bound` is in least-recently-used order.
 */
export function planBindings(
  chars: readonly string[],
  bound: ReadonlyMap<string, number>,
  free: readonly number[],
): { bind: [string, number][]; missing: string[] } {
  const freeLeft = [...free];
  const reusable = [...bound.entries()].filter(([c]) => !chars.includes(c)).map(([, k]) => k);
  const bind: [string, number][] = [];
  const missing: string[] = [];
  for (const c of chars) {
    if (bound.has(c)) continue;
    const keycode = freeLeft.shift() ?? reusable.shift();
    if (keycode === undefined) missing.push(c);
    else bind.push([c, keycode]);
  }
  return { bind, missing };
}

export interface X11Keymap {
  /** Binds the text's non-ASCII characters; true when every one of them is bound. */
  prepare(text: string): Promise<boolean>;
  /** Unbinds every keycode it bound, after `settleMs` (the client may still be reading the last keys). */
  restore(settleMs?: number): Promise<void>;
}

export function createX11Keymap(exec: Exec, env: Readonly<Record<string, string | undefined>>): X11Keymap {
  const options = { env, timeoutMs: 5000 };
  /** Character -> keycode, least recently used first. */
  const bound = new Map<string, number>();
  let free: number[] | undefined;
  const xmodmap = async (expressions: string[]): Promise<boolean> =>
    (
      await exec(
        'xmodmap',
        expressions.flatMap((e) => ['-e', e]),
        options,
      )
    ).code === 0;
  return {
    async prepare(text) {
      const chars = nonAsciiChars(text);
      if (chars.length === 0) return true;
      if (free === undefined) {
        const pke = await exec('xmodmap', ['-pke'], options);
        free = pke.code === 0 ? emptyKeycodes(pke.stdout) : [];
      }
      const { bind, missing } = planBindings(chars, bound, free);
      if (bind.length > 0) {
        if (!(await xmodmap(bind.map(([c, k]) => `keycode ${k} = ${keysymFor(c)} ${keysymFor(c)}`)))) return false;
        for (const [c, k] of bind) {
          free = free.filter((f) => f !== k);
          for (const [old, oldKey] of bound) if (oldKey === k) bound.delete(old);
          bound.set(c, k);
        }
      }
      // Used now: to the end of the least-recently-used order.
      for (const c of chars) {
        const k = bound.get(c);
        if (k === undefined) continue;
        bound.delete(c);
        bound.set(c, k);
      }
      return missing.length === 0;
    },
    async restore(settleMs = 1000) {
      if (bound.size === 0) return;
      await new Promise((r) => setTimeout(r, settleMs));
      await xmodmap([...bound.values()].map((k) => `keycode ${k} =`));
      free = [...(free ?? []), ...bound.values()];
      bound.clear();
    },
  };
}
