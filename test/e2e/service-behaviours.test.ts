/**
 * End-to-end: the built bin against the double playing the service's behaviours that the client must take in
 * its stride (docs/service.md#other-messages, docs/service.md#limits): Heartbeat, SpeechStarted and SpeakerRevision frames are
 * ignored, and concurrency refusals at connect (3009, 1008 "Too many concurrent sessions") and a 3008 expiry
 * are retried without losing audio. Every test asserts how many sessions were opened.
 */
import { describe, expect, it } from 'vitest';
import { startFakeServer, TOO_MANY_SESSIONS_MESSAGE, type FakeServer, type FakeServerOptions, type SessionRecord } from '../support/fake-server.js';
import { createPocketsphinxRecognizer } from '../support/recognizer.js';
import { makeSpokenTurns, openedPerTest, useTempDir } from '../support/e2e-files.js';
import { cleanEnv, runCli, TEST_KEY } from '../support/cli.js';
import { parseNdjsonStrict } from '../support/captions.js';
import { expectEveryByteAccountedFor, fileTimeline } from '../support/timeline.js';

const PHRASES = ['hello world', 'good morning everyone'];
const FINALS = ['Hello world.', 'Good morning everyone.'];
/** The client's longer wait before retrying a refusal (src/streaming/connection.ts LATER_MS, 3 s), with a margin. */
const LATER_WAIT_MIN_MS = 2500;
let wav: string;
/** What the client sends for `wav`: the file in 50 ms frames, the last one padded, then 1 s of silence. */
let timeline: Buffer;

useTempDir('lt-service-', async (t) => {
  wav = await makeSpokenTurns(
    t.dir,
    PHRASES.map((p, i) => [`p${i}.wav`, p] as const),
    1.2,
    'two.wav',
  );
  timeline = fileTimeline(wav);
});
const open = openedPerTest<{ server: FakeServer }>();

async function transcribe(options: FakeServerOptions, args: string[] = []) {
  open.server = await startFakeServer({ script: ['not what was said'], recognizer: createPocketsphinxRecognizer(PHRASES), ...options });
  const cli = runCli(['--api-host', open.server.url, '-i', wav, '--format', 'json', ...args], cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY }));
  const code = await cli.exit(60_000);
  const events = parseNdjsonStrict(cli.stdout());
  return { code, events, stderr: cli.stderr(), sessions: open.server.sessions };
}

const texts = (events: Record<string, unknown>[]): unknown[] => events.filter((e) => e.type === 'turn').map((e) => e.text);

const sent = (s: SessionRecord | undefined, type: string): Record<string, unknown>[] =>
  (s?.sentMessages ?? []).filter((m): m is Record<string, unknown> => (m as { type?: string }).type === type);

describe('messages the client ignores', () => {
  it('Heartbeat frames (sent although not asked for): the run ends normally with every final', async () => {
    const r = await transcribe({ heartbeatAlways: true, heartbeatIntervalMs: 250 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.sessions).toHaveLength(1);
    expect(sent(r.sessions[0], 'Heartbeat').length).toBeGreaterThanOrEqual(2);
    expect(r.sessions[0]!.query.session_heartbeat).toBeUndefined();
    expect(texts(r.events)).toEqual(FINALS);
    expect(r.stderr).not.toMatch(/error|warning/i);
  });

  it('SpeechStarted on a u3 model: the run ends normally with every final', async () => {
    const r = await transcribe({}, ['--speech-model', 'universal-3-6-pro']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.sessions).toHaveLength(1);
    expect(r.sessions[0]!.query.speech_model).toBe('universal-3-6-pro');
    expect(sent(r.sessions[0], 'SpeechStarted')).toHaveLength(2); // one per turn
    expect(texts(r.events)).toEqual(FINALS);
  });

  it('SpeakerRevision right before Termination: the run still ends 0 with every final', async () => {
    const r = await transcribe({ speakerRevisionAlways: true, terminationDelayMs: 550 }); // the real service's quickest
    expect(r.code, r.stderr).toBe(0);
    expect(r.sessions).toHaveLength(1);
    const types = r.sessions[0]!.sentMessages.map((m) => (m as { type?: string }).type);
    expect(types.slice(-2)).toEqual(['SpeakerRevision', 'Termination']);
    expect(texts(r.events)).toEqual(FINALS);
    expect(r.events.at(-1)).toMatchObject({ type: 'termination', reason: 'end-of-input' });
  });
});

describe('refusals and expiry the client retries', () => {
  it.each([3009, 1008] as const)('%i "Too many concurrent sessions" at connect: retried after the longer wait', async (code) => {
    const r = await transcribe({ concurrencyRefusal: { code, afterSessions: 0 } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.sessions).toHaveLength(2);
    const [refused, accepted] = r.sessions;
    expect(refused).toMatchObject({ id: '', closeCode: code, error: { code, message: TOO_MANY_SESSIONS_MESSAGE } });
    expect(accepted!.id).not.toBe('');
    expect(accepted!.openedAt - (refused!.closedAt ?? Infinity)).toBeGreaterThanOrEqual(LATER_WAIT_MIN_MS);
    expect(texts(r.events)).toEqual(FINALS);
    // The refused attempt lost nothing: the accepted session got the whole recording from its first byte.
    expect(Buffer.concat(accepted!.frames.map((f) => f.data)).equals(timeline)).toBe(true);
  });

  it('3008 "Session Expired" mid-session: a second session takes over without losing audio', async () => {
    // With a small expiresInSeconds the client rolls over before expires_at (reliability.test.ts), so no 3008
    // ever arrives; here the service expires the session while Begin.expires_at is still hours away.
    const expired = { afterMs: 1500, code: 3008, message: 'Session Expired: Maximum session duration exceeded' };
    const r = await transcribe({ perSession: (i) => (i === 0 ? { errorAfter: expired } : {}) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.sessions).toHaveLength(2);
    expect(r.sessions[0]!.error).toMatchObject({ code: 3008 });
    expect(r.sessions[1]!.id).not.toBe('');
    expect(texts(r.events)).toEqual(FINALS);
    expectEveryByteAccountedFor(r.events, r.sessions, timeline);
  });
});
