import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { notesPathBeside, resolveLlm } from '../../../src/notes/options.js';

const KEY = { kind: 'key' as const, apiKey: 'test-key-0000' };
const US = 'wss://streaming.assemblyai.com/v3/ws';

describe('resolveLlm', () => {
  it('asks for nothing without --notes: the gateway and the key only (for the ? key)', () => {
    expect(resolveLlm({}, US, KEY, {})).toEqual({ gateway: { base: 'https://llm-gateway.assemblyai.com', region: 'us' }, apiKey: 'test-key-0000' });
  });

  it('--notes alone, --notes PROMPT, beside -o, --notes-file (which implies --notes), --force, --llm-model', () => {
    expect(resolveLlm({ notes: true }, US, KEY, {}).notes).toEqual({ overwrite: false });
    expect(resolveLlm({ notes: 'the action items', output: 'a/meeting.jsonl' }, US, KEY, {}).notes).toEqual({
      prompt: 'the action items',
      file: 'a/meeting.notes.md',
      overwrite: false,
    });
    expect(resolveLlm({ notesFile: 'n.md', force: true, output: 'x.txt' }, US, KEY, {}).notes).toEqual({ file: 'n.md', overwrite: true });
    expect(resolveLlm({ llmModel: ' gemini-2.5-flash ' }, US, KEY, {}).model).toBe('gemini-2.5-flash');
    expect(resolveLlm({ notes: true, output: 'day.txt', append: true }, US, KEY, {}).notes).toEqual({
      file: 'day.notes.md',
      overwrite: false,
      append: true,
    });
  });

  it('takes a request timeout from LIVE_TRANSCRIBE_LLM_TIMEOUT_MS (a whole number of ms)', () => {
    expect(resolveLlm({}, US, KEY, { LIVE_TRANSCRIBE_LLM_TIMEOUT_MS: '1500' }).timeoutMs).toBe(1500);
    expect(resolveLlm({}, US, KEY, { LIVE_TRANSCRIBE_LLM_TIMEOUT_MS: 'soon' }).timeoutMs).toBeUndefined();
  });

  it.each([
    [{ notes: true }, { kind: 'token' as const, token: 't' }, /needs an API key: it does not take temporary tokens/],
    [{ notes: true }, { kind: 'token-command' as const, command: 'x' }, /needs an API key/],
    [{ notes: '  ' }, KEY, /--notes "" is empty/],
    [{ notesFile: '-' }, KEY, /--notes-file needs a file name/],
    [{ notesFile: 'a.txt', output: 'a.txt' }, KEY, /--notes-file and --output name the same file/],
    [{ llmModel: '' }, KEY, /--llm-model is empty/],
  ])('refuses %o', (raw, auth, message) => {
    expect(() => resolveLlm(raw, US, auth, {})).toThrow(UsageError);
    expect(() => resolveLlm(raw, US, auth, {})).toThrow(message);
  });

  it('a token without --notes is fine: the ? key says so when pressed', () => {
    expect(resolveLlm({}, US, { kind: 'token', token: 't' }, {}).apiKey).toBeUndefined();
  });
});

describe('notesPathBeside', () => {
  it.each([
    ['meeting.jsonl', 'meeting.notes.md'],
    ['dir.v2/out', 'dir.v2/out.notes.md'],
    ['.hidden', '.hidden.notes.md'],
    ['a\\b.srt', 'a\\b.notes.md'],
  ])('%s -> %s', (out, notes) => expect(notesPathBeside(out)).toBe(notes));
});
