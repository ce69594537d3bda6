import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rewriteInTimeOrder, timeOrdered } from '../../../src/recovery/rewrite-output.js';
import type { TranscriptEvent } from '../../../src/transcript/records.js';
import { beginEvent, turnEvent } from '../../support/records.js';

const time = new Date(0);
const turn = (index: number, text: string, startMs: number, recovered = false): TranscriptEvent =>
  turnEvent(index, text, { startMs, endMs: startMs + 1000, time, ...(recovered ? { recovered } : {}) });
const begin = beginEvent({ time });
const reconnected: TranscriptEvent = {
  type: 'reconnected',
  sessionId: 's2',
  why: 'reconnect',
  offsetMs: 20_000,
  replayedMs: 5000,
  lostMs: 10_000,
  time,
};
const termination: TranscriptEvent = {
  type: 'termination',
  reason: 'user',
  audioSentMs: 40_000,
  audioDurationS: 40,
  sessionDurationS: 40,
  sessions: 2,
  reconnects: 1,
  turns: 4,
  time,
};

const log = [
  begin,
  turn(0, 'Before.', 1000),
  reconnected,
  turn(1, 'After.', 25_000),
  turn(2, 'Recovered.', 8000, true),
  turn(3, 'Later.', 30_000),
  termination,
];

describe('timeOrdered', () => {
  it('puts recovered turns in place, keeps other events after the live turn they followed, termination last', () => {
    const order = timeOrdered(log).map((e) => (e.type === 'turn' ? e.turn.text : e.type));
    expect(order).toEqual(['begin', 'Before.', 'Recovered.', 'reconnected', 'After.', 'Later.', 'termination']);
  });
});

describe('rewriteInTimeOrder', () => {
  it('rewrites an SRT file whole, cues numbered afresh, and leaves no temporary file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lt-rewrite-'));
    try {
      const file = path.join(dir, 't.srt');
      await writeFile(file, 'old content');
      const ok = rewriteInTimeOrder(
        { format: 'text', timestamps: false, partials: false, file: { path: file, format: 'srt', mode: 'overwrite' } },
        log,
        '1',
      );
      expect(ok).toBe(true);
      const cues = (await readFile(file, 'utf8')).trim().split('\n\n');
      expect(cues.map((c) => c.split('\n')[0])).toEqual(['1', '2', '3', '4']);
      expect(cues.map((c) => c.split('\n')[2])).toEqual(['Before.', 'Recovered.', 'After.', 'Later.']);
      expect((await import('node:fs')).readdirSync(dir)).toEqual(['t.srt']);
      expect(
        rewriteInTimeOrder({ format: 'text', timestamps: false, partials: false, file: { path: file, format: 'srt', mode: 'append' } }, log, '1'),
      ).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
