/** summarise() against the double's gateway with a small context: parts, then one combining request. */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../../support/fake-server.js';
import { TEST_KEY } from '../../support/cli.js';
import { createGateway } from '../../../src/notes/gateway.js';
import { summarise } from '../../../src/notes/summarise.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('summarise', () => {
  it('one request when the transcript fits', async () => {
    server = await startFakeServer({});
    const gateway = createGateway({ base: `http://127.0.0.1:${server.port}`, apiKey: TEST_KEY });
    const steps: string[] = [];
    const notes = await summarise(['[00:00:01] Speaker A: Hello.'], {
      gateway,
      model: { id: 'claude-haiku-4-5-20251001', contextLength: 200_000 },
      prompt: undefined,
      onStep: (s) => steps.push(s.kind),
    });
    expect(notes).toEqual({
      markdown: expect.stringMatching(/^## Summary\nNotes by claude-haiku-4-5-20251001 on 1 transcript lines/),
      requests: 1,
      parts: 1,
    });
    expect(steps).toEqual(['whole']);
  });

  it("parts in order, then the combination, every request within the model's context", async () => {
    server = await startFakeServer({ llm: { contextLength: 1500 } });
    const gateway = createGateway({ base: `http://127.0.0.1:${server.port}`, apiKey: TEST_KEY });
    const lines = Array.from({ length: 50 }, (_, i) => `[00:00:${String(i).padStart(2, '0')}] Speaker A: sentence number ${i} of the meeting.`);
    const steps: string[] = [];
    const notes = await summarise(lines, {
      gateway,
      model: { id: 'claude-haiku-4-5-20251001', contextLength: 1500 },
      prompt: 'the decisions',
      onStep: (s) => steps.push(s.kind === 'part' ? `part ${s.part}/${s.parts}` : s.kind),
    });
    expect(notes.parts).toBeGreaterThan(1);
    expect(notes.requests).toBe(notes.parts + 1);
    expect(steps).toEqual([...Array.from({ length: notes.parts }, (_, i) => `part ${i + 1}/${notes.parts}`), 'combine']);
    expect(server.llmRequests.every((r) => r.status === 200)).toBe(true);
    expect(notes.markdown).toBe(`## Summary\nCombined notes of ${notes.parts} parts by claude-haiku-4-5-20251001.`);
  });
});
