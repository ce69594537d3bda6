import { describe, expect, it } from 'vitest';
import { BACKENDS, type Step } from '../../../src/dictation/backends.js';
import { createTyper, stepsFor } from '../../../src/dictation/typer.js';
import type { TranscriptEvent } from '../../../src/transcript/records.js';

const turn = (text: string): TranscriptEvent => ({
  type: 'turn',
  turn: { index: 0, sessionId: 's', turnOrder: 0, text, startMs: 0, endMs: 1, words: [], endOfTurnConfidence: 1, time: new Date(0) },
});
const partial = (text: string): TranscriptEvent => ({ type: 'partial', sessionId: 's', turnOrder: 0, text, time: new Date(0) });
const WL_COPY = { command: 'wl-copy', args: [] as string[] };

describe('the typing sink', () => {
  it('types final turns only, in order, one command at a time, separated by a space', async () => {
    const ran: string[] = [];
    let running = 0;
    let most = 0;
    const typer = createTyper({
      backend: BACKENDS.xdotool,
      enter: false,
      newline: false,
      note: () => undefined,
      run: async (step: Step) => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5));
        ran.push(step.args.at(-1)!);
        running--;
        return { ok: true };
      },
    });
    typer.write(partial('hello'));
    typer.write(turn('Hello world.'));
    typer.write(partial('how'));
    typer.write(turn('How are you?'));
    typer.write(turn(''));
    await typer.drain();
    expect(ran).toEqual(['Hello world.', ' How are you?']);
    expect(most).toBe(1);
  });

  it('--newline separates turns with a line break; --enter presses Enter after each, with no separator', () => {
    const o = { backend: BACKENDS.wtype, enter: false, newline: true };
    expect(stepsFor('Two.', false, o).steps).toEqual([{ command: 'wtype', args: ['-s', '100', '--', '\nTwo.'] }]);
    expect(stepsFor('Two.', false, { ...o, enter: true }).steps).toEqual([
      { command: 'wtype', args: ['-s', '100', '--', 'Two.'] },
      { command: 'wtype', args: ['-s', '100', '-k', 'Return'] },
    ]);
  });

  it('a tool that types ASCII only gets other text through the clipboard and its paste keys, with one note', async () => {
    expect(stepsFor('Grüße.', true, { backend: BACKENDS.ydotool, clipboard: WL_COPY, enter: true, newline: false })).toEqual({
      via: 'clipboard',
      steps: [{ command: 'wl-copy', args: [], stdin: 'Grüße.' }, ...BACKENDS.ydotool.pasteKeys!, ...BACKENDS.ydotool.enterKeys],
    });
    expect(stepsFor('Hello.', true, { backend: BACKENDS.ydotool, clipboard: WL_COPY, enter: false, newline: false }).via).toBe('keys');
    const notes: string[] = [];
    const typer = createTyper({
      backend: BACKENDS.dotool,
      clipboard: WL_COPY,
      enter: false,
      newline: false,
      note: (k) => notes.push(k),
      run: async () => ({ ok: true }),
    });
    typer.write(turn('café'));
    typer.write(turn('naïve'));
    await typer.drain();
    expect(notes).toEqual(['clipboard']);
  });

  it('X11: the non-ASCII characters are bound to keys first, then typed at full speed', async () => {
    const prepared: string[] = [];
    const ran: Step[] = [];
    const typer = createTyper({
      backend: BACKENDS.xdotool,
      enter: false,
      newline: false,
      note: () => undefined,
      prepare: async (text) => {
        prepared.push(text);
        return true;
      },
      run: async (step) => {
        ran.push(step);
        return { ok: true };
      },
    });
    typer.write(turn('Hello.'));
    typer.write(turn('Grüße.'));
    await typer.drain();
    expect(prepared).toEqual([' Grüße.']);
    expect(ran.map((s) => s.args)).toEqual([
      ['type', '--clearmodifiers', '--delay', '0', '--', 'Hello.'],
      ['type', '--clearmodifiers', '--delay', '0', '--', ' Grüße.'],
    ]);
    // Not bound (no xmodmap, no spare key): xdotool binds each itself, and needs its 12 ms for that.
    expect(stepsFor('Grüße.', true, { backend: BACKENDS.xdotool, enter: false, newline: false }, false).steps[0]?.args).toContain('12');
  });

  it('without a clipboard program such text is typed as well as the tool can, with a note', () => {
    expect(stepsFor('café', true, { backend: BACKENDS.dotool, enter: false, newline: false }).via).toBe('lossy');
  });

  it('a failing command is reported and the next turn is still typed', async () => {
    const notes: string[] = [];
    let n = 0;
    const typer = createTyper({
      backend: BACKENDS.xdotool,
      enter: false,
      newline: false,
      note: (kind, detail) => notes.push(`${kind}: ${detail}`),
      run: async () => (n++ === 0 ? { ok: false, reason: 'xdotool exited with code 1' } : { ok: true }),
    });
    typer.write(turn('One.'));
    typer.write(turn('Two.'));
    await typer.drain();
    expect(notes).toEqual(['failed: xdotool exited with code 1']);
    expect(n).toBe(2);
  });
});
