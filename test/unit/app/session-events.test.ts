import { describe, expect, it } from 'vitest';
import { createSessionEvents } from '../../../src/app/session-events.js';
import { AppError, ErrorCode } from '../../../src/core/errors.js';
import type { ConnectionEvent } from '../../../src/streaming/connection.js';
import type { TurnMessage } from '../../../src/streaming/protocol.js';
import type { StreamingParams } from '../../../src/core/types.js';

const TIME = new Date('2025-01-02T03:04:05.000Z');
const params: StreamingParams = { sampleRateHz: 16_000, encoding: 'pcm_s16le', formatTurns: true, speechModel: 'universal-streaming-english' };
const turn: TurnMessage = { type: 'Turn', turnOrder: 3, endOfTurn: true, formatted: true, transcript: 'Hello.', endOfTurnConfidence: 0.9, words: [] };
const outage = new AppError(ErrorCode.network, 'the connection dropped');
const fatal = new AppError(ErrorCode.auth, 'the key was refused');

/** Every call out of the handler, in order. */
type Call =
  | { to: 'turn'; sessionId: string; offsetMs: number; turn: TurnMessage }
  | { to: 'endSession'; sessionId: string }
  | { to: 'emit'; event: unknown }
  | { to: 'info' | 'warn'; text: string }
  | { to: 'failed'; error: AppError }
  | { to: 'renewed' };

function setUp() {
  const calls: Call[] = [];
  const handle = createSessionEvents({
    transcript: {
      turn: (sessionId, offsetMs, t) => void calls.push({ to: 'turn', sessionId, offsetMs, turn: t }),
      endSession: (sessionId) => void calls.push({ to: 'endSession', sessionId }),
    },
    emit: (event) => void calls.push({ to: 'emit', event }),
    status: { info: (text) => void calls.push({ to: 'info', text }), warn: (text) => void calls.push({ to: 'warn', text }) },
    params,
    input: 'microphone',
    onFailed: (error) => void calls.push({ to: 'failed', error }),
    onRenewed: () => void calls.push({ to: 'renewed' }),
    now: () => TIME,
  });
  return { calls, handle };
}

const begin = (sessionId: string) => ({
  to: 'emit' as const,
  event: {
    type: 'begin',
    sessionId,
    expiresAt: 1_900_000_000,
    sampleRateHz: 16_000,
    encoding: 'pcm_s16le',
    speechModel: 'universal-streaming-english',
    input: 'microphone',
    time: TIME,
  },
});

const cases: { name: string; event: ConnectionEvent; want: Call[] }[] = [
  {
    name: 'turn: into the transcript, with its session and offset',
    event: { type: 'turn', sessionId: 's2', offsetMs: 61_000, turn },
    want: [{ to: 'turn', sessionId: 's2', offsetMs: 61_000, turn }],
  },
  {
    name: 'session-ended: the transcript commits what it holds for that session',
    event: { type: 'session-ended', sessionId: 's1' },
    want: [{ to: 'endSession', sessionId: 's1' }],
  },
  {
    name: 'warning: a status warning',
    event: { type: 'warning', message: 'audio too fast' },
    want: [{ to: 'warn', text: 'the service says: audio too fast' }],
  },
  {
    name: 'failed: the run stops with the error',
    event: { type: 'failed', error: fatal },
    want: [{ to: 'failed', error: fatal }],
  },
  {
    name: 'reconnecting after a drop: a JSON event and a warning with the --reconnect-attempts budget',
    event: { type: 'reconnecting', why: 'reconnect', attempt: 2, maxAttempts: 6, delayMs: 500, error: outage },
    want: [
      {
        to: 'emit',
        event: { type: 'reconnecting', phase: 'reconnect', attempt: 2, maxAttempts: 6, delayMs: 500, reason: 'the connection dropped', time: TIME },
      },
      { to: 'warn', text: 'the connection dropped: reconnecting in 0.5 s... attempt 2 of 6' },
    ],
  },
  {
    name: 'retrying the first connection: says "to connect", with its own budget',
    event: { type: 'reconnecting', why: 'start', attempt: 1, maxAttempts: 2, delayMs: 250, error: outage },
    want: [
      {
        to: 'emit',
        event: { type: 'reconnecting', phase: 'connect', attempt: 1, maxAttempts: 2, delayMs: 250, reason: 'the connection dropped', time: TIME },
      },
      { to: 'warn', text: 'the connection dropped: trying again in 0.3 s... attempt 1 of 2 to connect' },
    ],
  },
  {
    name: 'session (start): only the begin event',
    event: { type: 'session', sessionId: 's1', expiresAt: 1_900_000_000, why: 'start', offsetMs: 0, replayMs: 0, lostMs: 0 },
    want: [begin('s1')],
  },
  {
    name: 'session (reconnect, nothing lost): begin, renewed, reconnected event, info line',
    event: { type: 'session', sessionId: 's2', expiresAt: 1_900_000_000, why: 'reconnect', offsetMs: 60_000, replayMs: 2500, lostMs: 0 },
    want: [
      begin('s2'),
      { to: 'renewed' },
      { to: 'emit', event: { type: 'reconnected', sessionId: 's2', why: 'reconnect', offsetMs: 60_000, replayedMs: 2500, lostMs: 0, time: TIME } },
      { to: 'info', text: 'Reconnected: session s2, replaying 2.5 s of audio' },
    ],
  },
  {
    name: 'session (reconnect, audio lost): also a warning about the audio lost',
    event: { type: 'session', sessionId: 's3', expiresAt: 1_900_000_000, why: 'reconnect', offsetMs: 200_000, replayMs: 120_000, lostMs: 4000 },
    want: [
      begin('s3'),
      { to: 'renewed' },
      {
        to: 'emit',
        event: { type: 'reconnected', sessionId: 's3', why: 'reconnect', offsetMs: 200_000, replayedMs: 120_000, lostMs: 4000, time: TIME },
      },
      { to: 'info', text: 'Reconnected: session s3, replaying 120.0 s of audio' },
      {
        to: 'warn',
        text: '4.0 s of audio was past the replay bound (--replay-limit): it is kept on disk and recovered through the pre-recorded API where possible',
      },
    ],
  },
  {
    name: 'session (rollover): begin, renewed, reconnected event, the renewal line',
    event: { type: 'session', sessionId: 's4', expiresAt: 1_900_000_000, why: 'rollover', offsetMs: 10_740_000, replayMs: 300, lostMs: 0 },
    want: [
      begin('s4'),
      { to: 'renewed' },
      { to: 'emit', event: { type: 'reconnected', sessionId: 's4', why: 'rollover', offsetMs: 10_740_000, replayedMs: 300, lostMs: 0, time: TIME } },
      { to: 'info', text: 'Session renewed before its time limit: s4' },
    ],
  },
];

describe('createSessionEvents', () => {
  it.each(cases)('$name', ({ event, want }) => {
    const t = setUp();
    t.handle(event);
    expect(t.calls).toEqual(want);
  });

  it('names the input and the params asked for in the begin event', () => {
    const calls: unknown[] = [];
    const handle = createSessionEvents({
      transcript: { turn: () => {}, endSession: () => {} },
      emit: (e) => void calls.push(e),
      status: { info: () => {}, warn: () => {} },
      params: { ...params, sampleRateHz: 8000, encoding: 'pcm_mulaw', speechModel: 'other-model' },
      input: 'meeting.wav',
      onFailed: () => {},
      now: () => TIME,
    });
    handle({ type: 'session', sessionId: 'x', expiresAt: undefined, why: 'reconnect', offsetMs: 0, replayMs: 0, lostMs: 0 });
    expect(calls[0]).toEqual({
      type: 'begin',
      sessionId: 'x',
      expiresAt: undefined,
      sampleRateHz: 8000,
      encoding: 'pcm_mulaw',
      speechModel: 'other-model',
      input: 'meeting.wav',
      time: TIME,
    });
    expect(calls).toHaveLength(2);
  });
});

describe('createSessionEvents: speakers, client warnings, tokens (issue 12)', () => {
  function withSpeakers() {
    const seen: unknown[] = [];
    const handle = createSessionEvents({
      transcript: {
        turn: () => {},
        endSession: () => {},
        beginSession: (id) => void seen.push(['beginSession', id]),
        reviseSpeakers: (id, revisions) => void seen.push(['revise', id, revisions]),
      },
      emit: () => {},
      status: { info: () => {}, warn: (text) => void seen.push(['warn', text]) },
      params,
      input: 'microphone',
      onFailed: (error) => void seen.push(['failed', error.message]),
      onCannotRenew: (error) => void seen.push(['cannot-renew', error.message]),
      now: () => TIME,
    });
    return { seen, handle };
  }

  it('numbers the sessions for the speakers, passes revisions on, ends in good order when no session can follow', () => {
    const { seen, handle } = withSpeakers();
    handle({ type: 'session', sessionId: 's1', expiresAt: undefined, why: 'start', offsetMs: 0, replayMs: 0, lostMs: 0 });
    handle({ type: 'speaker-revision', sessionId: 's1', revisions: [{ turnOrder: 0, speaker: 'B' }] });
    handle({ type: 'warning', message: 'asked for u3-rt-pro, but the service is using universal-3-6-pro', client: true });
    handle({ type: 'cannot-renew', error: fatal });
    expect(seen).toEqual([
      ['beginSession', 's1'],
      ['revise', 's1', [{ turnOrder: 0, speaker: 'B' }]],
      ['warn', 'asked for u3-rt-pro, but the service is using universal-3-6-pro'],
      ['cannot-renew', 'the key was refused'],
    ]);
  });
});
