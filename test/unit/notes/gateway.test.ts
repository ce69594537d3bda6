/** The gateway client against the double's LLM Gateway on loopback (the waits between tries recorded, not slept). */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer, type FakeServerOptions } from '../../support/fake-server.js';
import { TEST_KEY } from '../../support/cli.js';
import { createGateway, readAnswer, type GatewayOptions } from '../../../src/notes/gateway.js';
import type { GatewayError } from '../../../src/notes/gateway-error.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function gateway(llm: FakeServerOptions['llm'], o: Partial<GatewayOptions> = {}) {
  server = await startFakeServer({ llm });
  const waits: Array<[string, number]> = [];
  const g = createGateway({
    base: `http://127.0.0.1:${server.port}`,
    apiKey: TEST_KEY,
    sleep: async () => {},
    onRetry: (why, ms) => waits.push([why, ms]),
    ...o,
  });
  return { g, waits, s: server };
}
const request = {
  model: 'claude-haiku-4-5-20251001',
  messages: [{ role: 'user' as const, content: 'hi <transcript>\nA: x\n</transcript>' }],
  maxTokens: 100,
};
const failure = (p: Promise<unknown>): Promise<GatewayError> =>
  p.then(
    () => Promise.reject(new Error('resolved')),
    (e: GatewayError) => e,
  );

describe('the gateway client', () => {
  it('lists the models without a key, and chats with the raw key', async () => {
    const { g, s } = await gateway({});
    expect((await g.listModels()).map((m) => m.id)).toContain('claude-haiku-4-5-20251001');
    const answer = await g.chat(request);
    expect(answer.content).toMatch(/Notes by claude-haiku-4-5-20251001 on 1 transcript lines/);
    expect(answer.requestId).toMatch(/[0-9a-f-]{36}/);
    expect(s.llmRequests[0]!.headers.authorization).toBeUndefined();
    expect(s.llmRequests[1]!.headers.authorization).toBe(TEST_KEY);
    expect(s.llmRequests[1]!.body).toEqual({ model: request.model, messages: request.messages, max_tokens: 100 });
  });

  it('waits out a 429 for its retry-after, and 5xx with growing backoff, then succeeds', async () => {
    const { g, waits, s } = await gateway({ faults: [{ status: 429, retryAfterS: 7 }, { status: 500 }, { status: 503 }] });
    expect((await g.chat(request)).content).toMatch(/Notes by/);
    expect(waits[0]).toEqual(['rate-limited', 7000]);
    expect(waits[1]![0]).toBe('server');
    expect(waits[2]![1]).toBeGreaterThan(waits[1]![1]);
    expect(s.llmRequests.map((r) => r.status)).toEqual([429, 500, 503, 200]);
  });

  it('gives up: 5xx after 3 tries, 429 after 4 or when its hint is too long, 401 and 400 at once', async () => {
    let t = await gateway({ faults: [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }] });
    expect(await failure(t.g.chat(request))).toMatchObject({ kind: 'server', status: 500 });
    expect(t.s.llmRequests).toHaveLength(3);
    await t.s.close();
    t = await gateway({ faults: [{ status: 429, retryAfterS: 120 }] });
    expect(await failure(t.g.chat(request))).toMatchObject({ kind: 'rate-limited', status: 429 });
    expect(t.s.llmRequests).toHaveLength(1);
    await t.s.close();
    t = await gateway({}, { apiKey: 'wrong-key' });
    expect(await failure(t.g.chat(request))).toMatchObject({ kind: 'auth', status: 401, detail: 'Authentication error, API token missing/invalid' });
    await t.s.close();
    t = await gateway({});
    expect(await failure(t.g.chat({ ...request, model: 'nope' }))).toMatchObject({
      kind: 'bad-request',
      status: 400,
      detail: 'invalid request body; model nope is not supported',
    });
    expect(await failure(t.g.chat({ ...request, maxTokens: 300_000 }))).toMatchObject({ kind: 'bad-request' });
  });

  it('a refusal and a timeout are errors of their own', async () => {
    let t = await gateway({ faults: [{ refusal: 'No.' }] });
    expect(await failure(t.g.chat(request))).toMatchObject({ kind: 'refused', detail: 'No.' });
    await t.s.close();
    t = await gateway({ faults: [{ delayMs: 5000 }, { delayMs: 5000 }] }, { timeoutMs: 200 });
    expect(await failure(t.g.chat(request))).toMatchObject({ kind: 'timeout' });
    expect(t.waits).toEqual([['timeout', 0]]);
  });

  it('an abort ends a request at once, as "aborted"', async () => {
    const t = await gateway({ faults: [{ delayMs: 5000 }] });
    const controller = new AbortController();
    const p = failure(t.g.chat(request, controller.signal));
    await t.s.waitFor(() => t.s.llmRequests.length > 0);
    controller.abort();
    expect(await p).toMatchObject({ kind: 'aborted' });
  });

  it('cannot reach a closed port: a network error', async () => {
    const g = createGateway({ base: 'http://127.0.0.1:1', apiKey: TEST_KEY });
    expect(await failure(g.listModels())).toMatchObject({ kind: 'network' });
  });
});

describe('readAnswer', () => {
  it('reads content as a string or parts, and treats an empty answer or content_filter as a refusal', () => {
    expect(readAnswer({ choices: [{ message: { content: 'x' }, finish_reason: 'stop' }] }, 'r').content).toBe('x');
    expect(
      readAnswer(
        {
          choices: [
            {
              message: {
                content: [
                  { type: 'text', text: 'a' },
                  { type: 'text', text: 'b' },
                ],
              },
            },
          ],
        },
        undefined,
      ).content,
    ).toBe('ab');
    expect(() => readAnswer({ choices: [{ message: { content: '' } }] }, undefined)).toThrow(/answered nothing/);
    expect(() => readAnswer({ choices: [{ message: { content: 'x' }, finish_reason: 'content_filter' }] }, undefined)).toThrow(/content_filter/);
  });
});
