import { describe, expect, it } from 'vitest';
import * as say from '../../../src/render/notes-messages.js';

describe("the notes' sentences", () => {
  it('names each gateway failure in plain words, with what to do', () => {
    expect(say.formatNotesFailed({ kind: 'auth', detail: 'x', status: 401, requestId: 'r-1' })).toMatchInlineSnapshot(
      `"Notes not written: the LLM Gateway refused the API key (401): check ASSEMBLYAI_API_KEY or --api-key (request r-1). The transcript is complete and unchanged."`,
    );
    expect(say.formatGatewayFailure({ kind: 'rate-limited', detail: 'too many', status: 429 })).toMatchInlineSnapshot(
      `"the LLM Gateway is rate-limiting this model (429, 30 requests a minute per model) and the retries ran out: try again in a minute, or choose another model with --llm-model"`,
    );
    expect(say.formatGatewayFailure({ kind: 'server', detail: 'x', status: 502 })).toMatchInlineSnapshot(
      `"the LLM Gateway failed (502) after 3 tries: try again later"`,
    );
    expect(say.formatGatewayFailure({ kind: 'timeout', detail: 'no answer within 90 s' })).toMatchInlineSnapshot(
      `"the LLM Gateway did not answer in time (no answer within 90 s) after 2 tries: try again later, or a faster model with --llm-model"`,
    );
    expect(say.formatGatewayFailure({ kind: 'refused', detail: 'No.' })).toMatchInlineSnapshot(
      `"the model declined to write them (No.): try another prompt or another model"`,
    );
    expect(
      say.formatGatewayFailure({ kind: 'no-access', detail: 'Your account does not have access to this LLM Gateway model' }),
    ).toMatchInlineSnapshot(
      `"this account has no access to the LLM Gateway or to this model (Your account does not have access to this LLM Gateway model): the gateway needs a paid plan; see https://www.assemblyai.com/dashboard"`,
    );
    expect(say.formatGatewayFailure({ kind: 'bad-request', detail: 'model context limit exceeded', status: 400 })).toMatchInlineSnapshot(
      `"the LLM Gateway did not accept the request (400: model context limit exceeded)"`,
    );
  });

  it('says where the notes went, and shows them between rules', () => {
    expect(say.formatNotesWritten('m.notes.md', 1)).toMatchInlineSnapshot(`"Notes written to m.notes.md."`);
    expect(say.formatNotesWritten('m.notes.md', 4)).toMatchInlineSnapshot(
      `"Notes written to m.notes.md (a long transcript: 4 parts summarised, then combined)."`,
    );
    expect(say.formatNotesShown('## Summary\nx\n')).toMatchInlineSnapshot(`
      "──────────────────── notes ────────────────────
      ## Summary
      x
      ───────────────────────────────────────────────
      "
    `);
    expect(say.formatNotesStep('m', { kind: 'part', part: 2, parts: 3 })).toMatchInlineSnapshot(
      `"Writing notes with m: part 2 of 3 of a long transcript... Ctrl+C skips them"`,
    );
    expect(say.formatNotesRetry('rate-limited', 7000)).toMatchInlineSnapshot(`"LLM Gateway: rate-limited (429), trying again in 7 s"`);
  });

  it('refuses a model the EU host does not serve, naming its list', () => {
    expect(say.formatModelNotServed('gpt-5-nano', 'eu', [])).toMatchInlineSnapshot(`
      {
        "hint": "see the models with: live-transcribe --list-llm-models --api-host streaming.eu.assemblyai.com",
        "message": "--llm-model gpt-5-nano is not served by the EU LLM Gateway (llm-gateway.eu.assemblyai.com serves only Claude and Gemini models)",
      }
    `);
  });

  it('marks every line of an answer, and strips control characters from it', () => {
    expect(say.formatAnswer('Alice did.\nBob \u001b[31magreed.')).toMatchInlineSnapshot(`
      "Answer: Alice did.
              Bob [31magreed."
    `);
  });

  it('lists the models with their context and the default', () => {
    expect(
      say.formatLlmModelList(
        [{ id: 'claude-haiku-4-5-20251001', name: 'Claude Haiku 4.5', contextLength: 200_000 }, { id: 'gemini-2.5-flash' }],
        'llm-gateway.eu.assemblyai.com',
        'claude-haiku-4-5-20251001',
      ),
    ).toMatchInlineSnapshot(`
      "LLM Gateway models at llm-gateway.eu.assemblyai.com (--llm-model NAME; default: claude-haiku-4-5-20251001)
        claude-haiku-4-5-20251001  200k tokens   Claude Haiku 4.5 (default)
        gemini-2.5-flash
      "
    `);
  });
});
