import { afterEach, describe, expect, it } from 'vitest';
import { createChannel, type Channel } from '../../../src/app/channel.js';
import type { StopReason } from '../../../src/app/stop.js';
import type { AudioSource, SourceHandlers } from '../../../src/audio/source.js';
import type { Config } from '../../../src/options/resolve.js';
import { AppError, ErrorCode } from '../../../src/core/errors.js';
import type { Status } from '../../../src/render/status.js';
import type { TurnMessage } from '../../../src/streaming/protocol.js';
import type { TranscriptEvent } from '../../../src/transcript/records.js';
import { TEST_KEY } from '../../support/cli.js';
import { startFakeServer, type FakeServer } from '../../support/fake-server.js';
import { fakeRunIO } from '../../support/run-io.js';

/** 50 ms of 16 kHz 16-bit mono at one sample value (8000: speech to the double; 0: silence). */
const frames = (count: number, value: number): Buffer => {
  const b = Buffer.alloc(1600 * count);
  for (let i = 0; i < b.length; i += 2) b.writeInt16LE(value, i);
  return b;
};

function fakeSource(live: boolean) {
  let handlers: SourceHandlers | undefined;
  const source: AudioSource = {
    format: { sampleRateHz: 16_000, encoding: 'pcm_s16le' },
    label: live ? 'the default microphone' : 'talk.wav',
    durationMs: live ? undefined : 5000,
    live,
    start: (h) => void (handlers = h),
    pause: () => {},
    resume: () => {},
    stop: () => Promise.resolve(),
  };
  return {
    source,
    feed: (chunk: Buffer) => handlers?.onData(chunk),
    end: (error?: AppError) => handlers?.onEnd(error),
  };
}

let server: FakeServer | undefined;
let channel: Channel | undefined;
afterEach(async () => {
  await channel?.connection.close();
  await server?.close();
  channel = undefined;
  server = undefined;
});

async function setUp(o: { live: boolean; formatTurns?: boolean }) {
  server = await startFakeServer({ apiKeys: [TEST_KEY], script: ['hello world'] });
  const config: Config = {
    auth: { kind: 'key', apiKey: TEST_KEY },
    input: { kind: 'file', path: 'talk.wav', raw: false },
    output: { format: 'text', timestamps: false, partials: false },
    stop: { once: false },
    endpoint: `${server.url}/v3/ws`,
    params: { sampleRateHz: 48_000, encoding: 'pcm_mulaw', formatTurns: o.formatTurns ?? false, speechModel: 'universal-streaming-english' },
    connectTimeoutMs: 5000,
    reconnectAttempts: 0,
    quiet: false,
    color: false,
  };
  const io = fakeRunIO();
  const s = fakeSource(o.live);
  const lines: string[] = [];
  const stops: StopReason[] = [];
  const sent: number[] = [];
  const turns: TurnMessage[] = [];
  let onTurn: (() => void) | undefined;
  const emitted: TranscriptEvent[] = [];
  const status = { info: (t: string) => void lines.push(`info: ${t}`), warn: (t: string) => void lines.push(`warn: ${t}`) } as unknown as Status;
  channel = createChannel({
    config,
    io,
    source: s.source,
    input: config.input,
    savedAudio: undefined,
    transcript: {
      turn: (_id, _offset, turn) => {
        turns.push(turn);
        onTurn?.();
      },
      endSession: () => {},
    },
    emit: (e) => void emitted.push(e),
    status,
    stop: (r) => void stops.push(r),
    onSent: (ms) => void sent.push(ms),
  });
  /** Resolves on the first final turn; bounded. */
  const finalTurn = (timeoutMs = 10_000): Promise<TurnMessage> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no final turn within ${timeoutMs} ms; got ${JSON.stringify(turns)}`)), timeoutMs);
      onTurn = () => {
        const final = turns.find((t) => t.endOfTurn);
        if (final === undefined) return;
        clearTimeout(timer);
        resolve(final);
      };
    });
  return { ...s, channel, server, lines, stops, sent, turns, emitted, finalTurn };
}

describe('channel', () => {
  it('asks for the source format, sends its audio once the session began, and feeds its turns to the transcript', async () => {
    const t = await setUp({ live: true });
    t.channel.path.startInput();
    t.feed(frames(4, 8000)); // captured while connecting: waits in the early buffer
    await t.channel.connection.start();
    expect(t.server.sessions[0]?.query).toMatchObject({ sample_rate: '16000', encoding: 'pcm_s16le' });
    expect(t.channel.params).toMatchObject({ sampleRateHz: 16_000, encoding: 'pcm_s16le', speechModel: 'universal-streaming-english' });
    expect(t.emitted.map((e) => e.type)).toEqual(['begin']);
    const final = t.finalTurn();
    t.channel.begin();
    t.feed(frames(16, 8000));
    t.feed(frames(40, 0));
    expect((await final).transcript).toBe('hello world');
    await t.server.waitFor((s) => (s[0]?.audioMs ?? 0) >= 3000);
    expect(t.sent).toEqual(Array.from({ length: 60 }, (_, i) => (i + 1) * 50));
  });

  it('view() shows the source, the audio sent, the session and the pause; togglePause says so', async () => {
    const t = await setUp({ live: true });
    t.channel.path.startInput();
    await t.channel.connection.start();
    t.channel.begin();
    t.feed(frames(3, 8000));
    const v = t.channel.view();
    expect(v).toMatchObject({
      live: true,
      label: 'the default microphone',
      durationMs: undefined,
      sentMs: 150,
      paused: false,
      reconnecting: false,
      noSound: false,
    });
    expect(v.sessionId).toBe(t.server.sessions[0]?.id);
    expect(v.sessionMs).toBeGreaterThanOrEqual(0);
    expect(v.levelDbfs).toBeGreaterThan(-20);
    t.channel.togglePause();
    expect(t.channel.view().paused).toBe(true);
    t.channel.togglePause();
    expect(t.channel.view().paused).toBe(false);
    expect(t.lines).toEqual(['info: Paused: sending silence. Press p to resume.', 'info: Resumed.']);
  });

  it.each([
    { name: 'a live source ending by itself: a user stop', live: true, want: { kind: 'user' } },
    { name: 'recorded input ending: end-of-input', live: false, want: { kind: 'end-of-input' } },
  ])('$name', async ({ live, want }) => {
    const t = await setUp({ live });
    t.channel.path.startInput();
    t.end();
    expect(t.stops).toEqual([want]);
  });

  it('a source failing: capture-failed with its error', async () => {
    const t = await setUp({ live: true });
    t.channel.path.startInput();
    const failure = new AppError(ErrorCode.capture, 'sox died');
    t.end(failure);
    expect(t.stops).toEqual([{ kind: 'capture-failed', error: failure }]);
  });

  it('expects the formatted twin when format_turns is on for a universal-streaming model', async () => {
    expect((await setUp({ live: true, formatTurns: false })).channel.expectTwin).toBe(false);
    await channel?.connection.close();
    await server?.close();
    expect((await setUp({ live: true, formatTurns: true })).channel.expectTwin).toBe(true);
  });
});
