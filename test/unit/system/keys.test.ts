import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { KEY_HELP, parseKeys, startKeyboard, type KeyboardInput } from '../../../src/system/keys.js';

/** A stdin double: a PassThrough that says it is a TTY and records raw-mode switches. */
function fakeTty(o: { isTTY?: boolean; isRaw?: boolean } = {}) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; isRaw: boolean; setRawMode(mode: boolean): unknown; rawCalls: boolean[] };
  stream.isTTY = o.isTTY ?? true;
  stream.isRaw = o.isRaw ?? false;
  stream.rawCalls = [];
  stream.setRawMode = (mode: boolean) => {
    stream.rawCalls.push(mode);
    stream.isRaw = mode;
    return stream;
  };
  return stream;
}

function recorder() {
  const events: string[] = [];
  return {
    events,
    handlers: {
      onEnter: () => events.push('enter'),
      onPause: () => events.push('pause'),
      onQuit: () => events.push('quit'),
      onInterrupt: () => events.push('interrupt'),
    },
  };
}

/** Writes to the fake TTY and waits (bounded) for the data to be delivered. */
async function type(stream: PassThrough, data: string | Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no data event')), 1000);
    stream.once('data', () => {
      clearTimeout(timer);
      setImmediate(resolve);
    });
    stream.write(data);
  });
}

describe('parseKeys', () => {
  it.each([
    ['\r', ['enter']],
    ['\n', ['enter']],
    ['\r\n', ['enter']],
    ['p', ['pause']],
    ['P', ['pause']],
    ['q', ['quit']],
    ['Q', ['quit']],
    ['\u0003', ['interrupt']],
    ['\u0004', ['quit']],
    ['?', ['ask']],
    ['x', []],
    [' ', []],
    ['\u001b', []],
    ['\u001b[A', []], // arrow up
    ['\u001b[15~', []], // F5
    ['\u001bOP', []], // F1 (SS3)
    ['\u001bq', []], // Alt+q
    ['\u001b[1;5Cp', ['pause']], // Ctrl+Right, then p (one read)
    ['\r\r', ['enter', 'enter']],
    ['\u0003\u0003', ['interrupt', 'interrupt']],
    ['é', []],
    ['\u001a', []], // Ctrl+Z: ignored (raw mode does not suspend)
  ] as [string, string[]][])('%j -> %j', (input, keys) => {
    expect(parseKeys(input)).toEqual(keys);
    expect(parseKeys(Buffer.from(input, 'utf8'))).toEqual(keys);
  });

  it('treats a paste as text: only Ctrl+C counts in it', () => {
    expect(parseKeys('quips\r')).toEqual([]);
    expect(parseKeys('hello\u0003')).toEqual(['interrupt']);
    expect(parseKeys('pé')).toEqual([]); // two characters, even if one is multi-byte
  });
});

describe('startKeyboard', () => {
  it('switches a TTY to raw mode and maps keys to handlers', async () => {
    const tty = fakeTty();
    const r = recorder();
    const kb = startKeyboard(tty, r.handlers);
    expect(kb.active).toBe(true);
    expect(tty.rawCalls).toEqual([true]);
    for (const k of ['\r', 'p', 'x', 'P', '\u0003', 'q', '\u0004', '\u001b[B']) await type(tty, k);
    expect(r.events).toEqual(['enter', 'pause', 'pause', 'interrupt', 'quit', 'quit']);
    kb.stop();
  });

  it('stop() restores the previous mode, stops listening, pauses stdin, and is idempotent', async () => {
    const tty = fakeTty({ isRaw: false });
    const r = recorder();
    const kb = startKeyboard(tty, r.handlers);
    expect(tty.isPaused()).toBe(false);
    kb.stop();
    kb.stop();
    expect(tty.rawCalls).toEqual([true, false]);
    expect(tty.isPaused()).toBe(true);
    expect(tty.listenerCount('data')).toBe(0);
    tty.write('q');
    expect(r.events).toEqual([]);

    // A terminal that was raw already stays raw.
    const raw = fakeTty({ isRaw: true });
    startKeyboard(raw, recorder().handlers).stop();
    expect(raw.rawCalls).toEqual([true, true]);
  });

  it('reads string chunks too (stdin with an encoding set)', async () => {
    const tty = fakeTty();
    tty.setEncoding('utf8');
    const r = recorder();
    const kb = startKeyboard(tty, r.handlers);
    await type(tty, 'p');
    expect(r.events).toEqual(['pause']);
    kb.stop();
  });

  it('does nothing on a stdin that is not a terminal', () => {
    const pipe = fakeTty({ isTTY: false });
    const r = recorder();
    const kb = startKeyboard(pipe, r.handlers);
    expect(kb.active).toBe(false);
    expect(pipe.rawCalls).toEqual([]);
    expect(pipe.listenerCount('data')).toBe(0);
    kb.stop();
    const noRaw: KeyboardInput = { isTTY: true, on: () => {}, off: () => {}, resume: () => {}, pause: () => {} };
    expect(startKeyboard(noRaw, r.handlers).active).toBe(false);
  });

  it('divert() hands raw chunks to a listener instead of the commands, until given back (the ? prompt)', async () => {
    const stdin = fakeTty();
    const r = recorder();
    const chunks: string[] = [];
    const kb = startKeyboard(stdin as unknown as KeyboardInput, { ...r.handlers, onAsk: () => r.events.push('ask') });
    await type(stdin, '?');
    expect(r.events).toEqual(['ask']);
    kb.divert((chunk) => chunks.push(chunk.toString('utf8')));
    await type(stdin, 'q');
    await type(stdin, 'p\r');
    expect(chunks).toEqual(['q', 'p\r']);
    expect(r.events).toEqual(['ask']); // q, p and Enter were typed text, not commands
    kb.divert(undefined);
    await type(stdin, 'p');
    expect(r.events).toEqual(['ask', 'pause']);
    kb.stop();
  });

  it('has one line of help for the "Listening..." line', () => {
    expect(KEY_HELP).toBe('Enter: end the turn, p: pause, ?: ask a question, q: quit');
  });
});
