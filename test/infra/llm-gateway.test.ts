/** The double's LLM Gateway is as strict as docs/service.md#llm-gateway says (auth, request shape, models, limits, errors). */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer, type FakeServerOptions } from '../support/fake-server.js';
import { TEST_KEY } from '../support/cli.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(
  llm: FakeServerOptions['llm'] = {},
): Promise<(body: unknown, auth?: string) => Promise<{ status: number; body: Record<string, unknown>; headers: Headers }>> {
  server = await startFakeServer({ llm });
  const base = `http://127.0.0.1:${server.port}`;
  return async (body, auth = TEST_KEY) => {
    const res = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(auth === '' ? {} : { Authorization: auth }) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
  };
}
const ok = { model: 'claude-haiku-4-5-20251001', messages: [{ role: 'user', content: 'hello' }] };

describe("the double's LLM Gateway", () => {
  it('lists its models without auth, in {data:[…]} with context lengths', async () => {
    await start();
    const res = await fetch(`http://127.0.0.1:${server!.port}/v1/models`);
    const body = (await res.json()) as { data: Array<{ id: string; context_length: number; top_provider: { context_length: number } }> };
    expect(res.status).toBe(200);
    expect(body.data.map((m) => m.id)).toContain('claude-haiku-4-5-20251001');
    expect(body.data[0]!.top_provider.context_length).toBe(body.data[0]!.context_length);
  });

  it('takes the raw key or Bearer; a missing header and a wrong key are 401 with the observed bodies', async () => {
    const chat = await start();
    expect((await chat(ok)).status).toBe(200);
    expect((await chat(ok, `Bearer ${TEST_KEY}`)).status).toBe(200);
    expect(await chat(ok, '')).toMatchObject({
      status: 401,
      body: { status: 'error', error: expect.stringMatching(/does not have access to LLM Gateway/) },
    });
    expect(await chat(ok, 'wrong-key-1')).toMatchObject({ status: 401, body: { error: 'Authentication error, API token missing/invalid' } });
  });

  it('refuses a bad request with the flattened 400 body', async () => {
    const chat = await start({ contextLength: 1000 });
    const errors = async (body: unknown): Promise<unknown> => {
      const r = await chat(body);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 400, message: 'invalid request body' });
      return (r.body.metadata as { errors: string[] }).errors[0];
    };
    expect(await errors('{not json')).toMatch(/not a JSON object/);
    expect(await errors({ ...ok, model: 'anthropic/claude-haiku-4-5-20251001' })).toBe('model anthropic/claude-haiku-4-5-20251001 is not supported');
    expect(await errors({ model: ok.model })).toBe('one of messages or prompt required');
    expect(await errors({ ...ok, max_tokens: 0 })).toMatch(/max_tokens must be an integer/);
    expect(await errors({ ...ok, max_tokens: 1000 })).toMatch(/max_tokens must be an integer in \[1, 1000\)/);
    expect(await errors({ ...ok, messages: [{ role: 'user', content: 'x'.repeat(4000) }], max_tokens: 10 })).toBe('model context limit exceeded');
    expect(await errors({ ...ok, messages: [{ role: 'robot', content: 'x' }] })).toMatch(/role robot is invalid/);
    expect(await errors({ ...ok, logit_bias: {} })).toBe('model claude-haiku-4-5-20251001 does not support logit_bias');
  });

  it('answers in the documented shape, with both usage namings and the rate-limit headers', async () => {
    const chat = await start();
    const r = await chat(ok);
    expect(r.body).toMatchObject({
      request_id: expect.any(String),
      model: ok.model,
      choices: [{ message: { role: 'assistant', content: expect.any(String) }, finish_reason: 'stop' }],
    });
    expect(r.body.usage).toMatchObject({
      input_tokens: expect.any(Number),
      prompt_tokens: expect.any(Number),
      output_tokens: expect.any(Number),
      completion_tokens: expect.any(Number),
    });
    expect(r.headers.get('x-ratelimit-limit')).toBe('30');
    expect(r.headers.get('x-ratelimit-service')).toBe('llmgw');
  });

  it('30 requests a minute per model, rejected ones counted too; then 429 with retry-after', async () => {
    const chat = await start({ rateLimitPerMinute: 3 });
    expect((await chat({ ...ok, max_tokens: 0 })).status).toBe(400); // counts
    expect((await chat(ok)).status).toBe(200);
    expect((await chat(ok)).status).toBe(200);
    const limited = await chat(ok);
    expect(limited).toMatchObject({ status: 429, body: { message: 'too many requests for this action', code: 429 } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await chat({ ...ok, model: 'claude-sonnet-4-6' })).status).toBe(200); // per model
  });

  it('logs every request, answered or not', async () => {
    const chat = await start({ faults: [{ status: 503 }] });
    expect((await chat(ok)).status).toBe(503);
    expect((await chat(ok, '')).status).toBe(401);
    expect(server!.llmRequests.map((r) => [r.path, r.status])).toEqual([
      ['/v1/chat/completions', 503],
      ['/v1/chat/completions', 401],
    ]);
  });
});
