/** The run's notes part, against the double's gateway: the turns it keeps, the notes at the end, a skip. */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../../support/fake-server.js';
import { TEST_KEY } from '../../support/cli.js';
import { createRunNotes } from '../../../src/notes/run-notes.js';
import type { LlmConfig } from '../../../src/notes/options.js';
import type { TranscriptEvent, TurnRecord } from '../../../src/transcript/records.js';
import { turnEvent } from '../../support/records.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const turn = (index: number, text: string, extra: Partial<TurnRecord> = {}): TranscriptEvent =>
  turnEvent(index, text, { startMs: index * 2000, endMs: index * 2000 + 1000, ...extra });

async function part(llm: Partial<LlmConfig> = {}, faults: NonNullable<Parameters<typeof startFakeServer>[0]>['llm'] = {}) {
  server = await startFakeServer({ llm: faults });
  const out: string[] = [];
  const notes = createRunNotes({
    llm: {
      gateway: { base: `http://127.0.0.1:${server.port}`, region: 'custom' },
      apiKey: TEST_KEY,
      notes: { overwrite: false },
      modelInfo: { id: 'claude-haiku-4-5-20251001', contextLength: 200_000 },
      ...llm,
    },
    userAgent: 'test',
    stderr: { write: (t: string) => out.push(t), isTTY: false },
    quiet: true,
  });
  return { notes, out, s: server };
}

describe('createRunNotes', () => {
  it('keeps the final turns with their speakers as revised and their sources, and writes the notes to stderr', async () => {
    const { notes, out, s } = await part();
    notes.collect(turn(0, 'Hello.', { speaker: 'PENDING', source: 'Others' }));
    notes.collect({ type: 'partial', sessionId: 's', turnOrder: 1, text: 'not this', time: new Date() });
    notes.collect(turn(1, 'Hi.', { speaker: 'B', source: 'You' }));
    notes.collect({ type: 'speaker_revision', turns: [{ index: 0, speaker: 'A' }], time: new Date() });
    await notes.atEnd();
    const sent = (s.llmRequests[0]!.body!.messages as Array<{ content: string }>)[1]!.content;
    expect(sent).toMatch(/<transcript>\n\[00:00:00\] Others A: Hello\.\n\[00:00:02\] You B: Hi\.\n<\/transcript>/);
    expect(out.join('')).toMatch(/notes ─+\n## Summary\nNotes by claude-haiku-4-5-20251001 on 2 transcript lines/);
  });

  it('sends nothing without --notes, and nothing for an empty transcript', async () => {
    const a = await part({ notes: undefined } as Partial<LlmConfig>);
    a.notes.collect(turn(0, 'Hello.'));
    await a.notes.atEnd();
    expect(a.s.llmRequests).toEqual([]);
    await a.s.close();
    const b = await part();
    await b.notes.atEnd();
    expect(b.s.llmRequests).toEqual([]);
    expect(b.out.join('')).toMatch(/Notes not written: the transcript is empty\./);
  });

  it('skip() aborts the notes being written (and only then)', async () => {
    const { notes, out, s } = await part({}, { faults: [{ delayMs: 10_000 }] });
    expect(notes.skip()).toBe(false);
    notes.collect(turn(0, 'Hello.'));
    const done = notes.atEnd();
    await s.waitFor(() => s.llmRequests.length > 0);
    expect(notes.skip()).toBe(true);
    await done;
    expect(out.join('')).toMatch(/Notes skipped \(Ctrl\+C\)/);
  });
});
