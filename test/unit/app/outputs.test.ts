import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunIO } from '../../../src/app/io.js';
import { createOutputs, outputSettings } from '../../../src/app/outputs.js';
import { createRunTranscript } from '../../../src/app/run-transcript.js';
import type { StopReason } from '../../../src/app/stop.js';
import type { Config } from '../../../src/options/resolve.js';
import { AppError, ErrorCode } from '../../../src/core/errors.js';
import type { TranscriptEvent } from '../../../src/transcript/records.js';
import type { OutputSpec } from '../../../src/core/types.js';
import { fakeRunIO } from '../../support/run-io.js';

const dir = mkdtempSync(path.join(tmpdir(), 'outputs-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
const tempPath = (ext: string): string => path.join(dir, `out-${(fileCount += 1)}.${ext}`);

const TIME = new Date('2025-01-02T03:04:05.000Z');
const turnEvent = (index: number, text: string): TranscriptEvent => ({
  type: 'turn',
  turn: {
    index,
    sessionId: 's1',
    turnOrder: index,
    text,
    startMs: index * 1000,
    endMs: index * 1000 + 900,
    words: [],
    endOfTurnConfidence: 0.9,
    time: TIME,
  },
});

function configWith(o: { output?: Partial<OutputSpec>; saveAudio?: Config['saveAudio'] } = {}): Config {
  return {
    auth: { kind: 'token', token: 'temporary-token-for-tests' },
    input: { kind: 'microphone' },
    output: { format: 'text', timestamps: false, partials: false, ...o.output },
    stop: { once: false },
    ...(o.saveAudio === undefined ? {} : { saveAudio: o.saveAudio }),
    endpoint: 'ws://127.0.0.1:1/v3/ws',
    params: { sampleRateHz: 16_000, encoding: 'pcm_s16le', formatTurns: true, speechModel: 'universal-streaming-english' },
    connectTimeoutMs: 1000,
    reconnectAttempts: 0,
    quiet: false,
    color: false,
  };
}

/** A stream that records what is written, in order, with what `probe` saw at that moment. */
function fakeStream(probe: () => string = () => '') {
  const writes: { text: string; seen: string }[] = [];
  let onError: ((err: NodeJS.ErrnoException) => void) | undefined;
  const stream: RunIO['stdout'] = {
    write(text) {
      writes.push({ text, seen: probe() });
      return true;
    },
    on(_event, listener) {
      onError = listener;
      return stream;
    },
  };
  const fail = (code: string | undefined, message: string): void => {
    const err: NodeJS.ErrnoException = new Error(message);
    if (code !== undefined) err.code = code;
    if (onError === undefined) throw new Error('no error listener on the stream');
    onError(err);
  };
  return { stream, writes, fail, text: () => writes.map((w) => w.text).join('') };
}

function setUp(config: Config, probe?: () => string) {
  const stdout = fakeStream(probe);
  const stderr = fakeStream();
  const stops: StopReason[] = [];
  const io = fakeRunIO({ stdout: stdout.stream, stderr: stderr.stream });
  const outputs = createOutputs(outputSettings(config), io, (r) => void stops.push(r));
  return { outputs, stdout, stderr, stops };
}

describe('outputs: emit', () => {
  it('writes each turn to the -o file before stdout', () => {
    const file = tempPath('txt');
    const t = setUp(configWith({ output: { file: { path: file, format: 'text', mode: 'create' } } }), () => readFileSync(file, 'utf8'));
    t.outputs.openFile();
    t.outputs.emit(turnEvent(0, 'First words.'));
    t.outputs.emit(turnEvent(1, 'Second words.'));
    expect(t.stdout.writes).toEqual([
      { text: 'First words.\n', seen: 'First words.\n' },
      { text: 'Second words.\n', seen: 'First words.\nSecond words.\n' },
    ]);
    expect(t.stops).toEqual([]);
    t.outputs.closeAll(0);
    expect(readFileSync(file, 'utf8')).toBe('First words.\nSecond words.\n');
  });

  it('without -o, writes to stdout only', () => {
    const t = setUp(configWith());
    t.outputs.openFile();
    t.outputs.emit(turnEvent(0, 'Only here.'));
    expect(t.stdout.text()).toBe('Only here.\n');
  });

  it('an EPIPE on stdout stops the run with pipe-closed; stdout gets nothing more, the file goes on', () => {
    const file = tempPath('txt');
    const t = setUp(configWith({ output: { file: { path: file, format: 'text', mode: 'create' } } }));
    t.outputs.openFile();
    t.outputs.emit(turnEvent(0, 'Before.'));
    t.stdout.fail('EPIPE', 'write EPIPE');
    t.outputs.emit(turnEvent(1, 'After.'));
    expect(t.stops).toEqual([{ kind: 'pipe-closed' }]);
    expect(t.stdout.text()).toBe('Before.\n');
    t.outputs.closeAll(0);
    expect(readFileSync(file, 'utf8')).toBe('Before.\nAfter.\n');
  });

  it('another error on stdout stops the run with output-failed and says why', () => {
    const t = setUp(configWith());
    t.stdout.fail('EIO', 'i/o error');
    expect(t.stops).toHaveLength(1);
    const stop = t.stops[0]!;
    expect(stop.kind).toBe('output-failed');
    expect('error' in stop && stop.error).toBeInstanceOf(AppError);
    expect('error' in stop && stop.error.message).toBe('cannot write the transcript to stdout: i/o error');
    t.outputs.emit(turnEvent(0, 'Lost.'));
    expect(t.stdout.writes).toEqual([]);
  });

  it('a failing sink stops the run with output-failed, and stdout still gets the turn (-o /dev/full)', () => {
    const t = setUp(configWith({ output: { file: { path: '/dev/full', format: 'text', mode: 'overwrite' } } }));
    t.outputs.openFile();
    t.outputs.emit(turnEvent(0, 'No room.'));
    expect(t.stops.map((s) => s.kind)).toEqual(['output-failed']);
    const stop = t.stops[0]!;
    expect('error' in stop && stop.error.message).toMatch(/^cannot write the transcript to \/dev\/full: ENOSPC/);
    expect(t.stdout.text()).toBe('No room.\n');
    t.outputs.closeAll(0);
  });
});

describe("outputs: a run's error, through the run's transcript", () => {
  it('writes the error as a JSON event on stdout and as an error line on stderr', () => {
    const t = setUp(configWith({ output: { format: 'json' } }));
    const transcript = createRunTranscript({
      sources: [{ label: 'You', kind: 'microphone' }],
      settings: { once: false },
      output: t.outputs,
      onStop: () => undefined,
      expectTwin: () => false,
      audioSentMs: () => 0,
    });
    const error = new AppError(ErrorCode.auth, 'the key was refused');
    transcript.error(error);
    t.outputs.status.error(error);
    const event = JSON.parse(t.stdout.text()) as Record<string, unknown>;
    expect(event).toMatchObject({ type: 'error', code: 'E_AUTH', exit_code: 4, message: 'the key was refused' });
    expect(t.stderr.text()).toBe('error: the key was refused\n');
  });
});

describe('outputs: closeAll', () => {
  it('closes once: a second call returns its code, throws nothing and writes nothing', async () => {
    const file = tempPath('vtt');
    const wav = tempPath('wav');
    const t = setUp(configWith({ output: { file: { path: file, format: 'vtt', mode: 'create' } }, saveAudio: { path: wav, overwrite: false } }));
    t.outputs.openFile();
    const saved = await t.outputs.openSavedAudio({ sampleRateHz: 16_000, encoding: 'pcm_s16le' });
    expect(saved).toBeDefined();
    saved?.write(Buffer.alloc(3200, 1));
    t.outputs.emit(turnEvent(0, 'Hi.'));
    const written = { stdout: t.stdout.text(), stderr: t.stderr.text() };
    expect(t.outputs.closeAll(3)).toBe(3);
    expect(t.outputs.closeAll(1)).toBe(1);
    const result = await t.outputs.closeSavedAudio();
    expect(result?.error).toBeUndefined();
    expect(statSync(wav).size).toBe(44 + 3200);
    expect({ stdout: t.stdout.text(), stderr: t.stderr.text() }).toEqual(written);
    expect(readFileSync(file, 'utf8')).toBe('WEBVTT\n\n00:00:00.000 --> 00:00:00.900\nHi.\n\n');
    expect(t.stops).toEqual([]);
  });

  it('an event after closeAll goes nowhere: not into a file that took over the closed descriptor, no stop', () => {
    const file = tempPath('txt');
    const other = tempPath('txt');
    const t = setUp(configWith({ output: { file: { path: file, format: 'text', mode: 'create' } } }));
    t.outputs.openFile();
    t.outputs.emit(turnEvent(0, 'Kept.'));
    t.outputs.closeAll(0);
    const fd = openSync(other, 'w'); // the lowest free descriptor: usually the one the -o file had
    try {
      t.outputs.emit(turnEvent(1, 'After the end.'));
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(other, 'utf8')).toBe('');
    expect(readFileSync(file, 'utf8')).toBe('Kept.\n');
    expect(t.stops).toEqual([]);
  });

  it('openSavedAudio without --save-audio gives undefined, and closeSavedAudio too', async () => {
    const t = setUp(configWith());
    expect(await t.outputs.openSavedAudio({ sampleRateHz: 16_000, encoding: 'pcm_s16le' })).toBeUndefined();
    expect(await t.outputs.closeSavedAudio()).toBeUndefined();
  });
});

describe('outputs: the -o file is created at the first thing written (issue 11.4)', () => {
  const errorEvent: TranscriptEvent = { type: 'error', code: 'E_CAPTURE', exitCode: 3, message: 'no capture device', time: TIME };

  it('a run that fails before any turn leaves no file, not even with an error record in JSON', () => {
    for (const [ext, format] of [
      ['txt', 'text'],
      ['jsonl', 'json'],
      ['vtt', 'vtt'],
    ] as const) {
      const file = tempPath(ext);
      const t = setUp(configWith({ output: { format: 'json', file: { path: file, format, mode: 'create' } } }));
      t.outputs.openFile();
      expect(existsSync(file)).toBe(false);
      t.outputs.emit(errorEvent);
      expect(t.outputs.closeAll(3)).toBe(3);
      expect(existsSync(file)).toBe(false);
    }
  });

  it('a run that ends well with nothing said still leaves the file, with its header', () => {
    const file = tempPath('vtt');
    const t = setUp(configWith({ output: { file: { path: file, format: 'vtt', mode: 'create' } } }));
    t.outputs.openFile();
    t.outputs.closeAll(0);
    expect(readFileSync(file, 'utf8')).toBe('WEBVTT\n\n');
  });

  it('--force replaces the file only once there is something to write: a failed run keeps the old one', () => {
    const file = tempPath('txt');
    writeFileSync(file, 'Yesterday.\n');
    const failed = setUp(configWith({ output: { file: { path: file, format: 'text', mode: 'overwrite' } } }));
    failed.outputs.openFile();
    failed.outputs.closeAll(3);
    expect(readFileSync(file, 'utf8')).toBe('Yesterday.\n');
    const replaced = setUp(configWith({ output: { file: { path: file, format: 'text', mode: 'overwrite' } } }));
    replaced.outputs.openFile();
    replaced.outputs.emit(turnEvent(0, 'Today.'));
    replaced.outputs.closeAll(0);
    expect(readFileSync(file, 'utf8')).toBe('Today.\n');
  });

  it('still refuses, before connecting, an existing file without --append/--force, a directory, a missing folder', () => {
    const file = tempPath('txt');
    writeFileSync(file, 'Kept.\n');
    const open = (p: string) => () => setUp(configWith({ output: { file: { path: p, format: 'text', mode: 'create' } } })).outputs.openFile();
    expect(open(file)).toThrow(/already exists/);
    expect(open(dir)).toThrow(/is a directory/);
    expect(open(path.join(dir, 'no-such-folder', 'a.txt'))).toThrow(/its folder does not exist/);
    expect(readFileSync(file, 'utf8')).toBe('Kept.\n');
  });

  it('says on stderr which format --format gave a file whose extension does not tell', () => {
    const file = tempPath('docx');
    const t = setUp(configWith({ output: { format: 'json', file: { path: file, format: 'json', mode: 'create', formatFromFlag: true } } }));
    t.outputs.openFile();
    expect(t.stderr.text()).toContain(`writing ${file} as json (--format): its extension does not tell the format`);
    t.outputs.closeAll(0);
  });
});

describe('outputs: secrets (issue 19.2)', () => {
  it('the token and a secret added later are scrubbed from stdout, stderr, the -o file and the NDJSON error event', () => {
    const file = tempPath('ndjson');
    const config = configWith({ output: { format: 'json', file: { path: file, format: 'json', mode: 'create' } } });
    const t = setUp(config);
    t.outputs.openFile();
    t.outputs.emit(turnEvent(0, 'said temporary-token-for-tests aloud'));
    t.outputs.emit({ type: 'error', code: ErrorCode.auth, exitCode: 4, message: 'refused: temporary-token-for-tests', time: new Date() });
    t.outputs.status.warn('warned temporary-token-for-tests');
    t.outputs.closeAll(4);
    const all = `${t.stdout.text()}${t.stderr.text()}${readFileSync(file, 'utf8')}`;
    expect(all).not.toContain('temporary-token-for-tests');
    expect(readFileSync(file, 'utf8')).toContain('said [redacted] aloud');
    expect(t.stdout.text()).toContain('"message":"refused: [redacted]"');
    expect(t.stderr.text()).toContain('warned [redacted]');
  });
});

describe('outputs: a failed write fails the run (issue 19.3)', () => {
  it('a turn that cannot be written during the shutdown (another stop reason won): closeAll turns 0 into 1 and says why', () => {
    const t = setUp(configWith({ output: { file: { path: '/dev/full', format: 'text', mode: 'overwrite' } } }));
    t.outputs.openFile();
    t.outputs.emit(turnEvent(0, 'The last words.'));
    expect(t.stops.map((r) => r.kind)).toEqual(['output-failed']);
    expect(t.outputs.closeAll(0)).toBe(1);
    expect(t.stderr.text()).toMatch(/error: cannot write the transcript to \/dev\/full/);
  });

  it('a run that already failed keeps its own exit code', () => {
    const t = setUp(configWith({ output: { file: { path: '/dev/full', format: 'text', mode: 'overwrite' } } }));
    t.outputs.openFile();
    t.outputs.emit(turnEvent(0, 'The last words.'));
    expect(t.outputs.closeAll(4)).toBe(4);
  });
});
