import { describe, expect, it } from 'vitest';
import { NO_API_KEY_HINT, parseApiHost, resolveAuth, resolveConfig, type RawOptions } from '../../../src/options/resolve.js';
import { UsageError } from '../../../src/core/errors.js';

const env = { ASSEMBLYAI_API_KEY: 'env-key-123456' };
const usage = (raw: RawOptions, e: Record<string, string> = env): string => {
  try {
    resolveConfig(raw, e);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('resolveConfig', () => {
  it('applies the documented defaults', () => {
    const c = resolveConfig({}, env);
    expect(c.auth).toEqual({ kind: 'key', apiKey: 'env-key-123456' });
    expect(c.endpoint).toBe('wss://streaming.assemblyai.com/v3/ws');
    expect(c.params).toEqual({ sampleRateHz: 16000, encoding: 'pcm_s16le', formatTurns: true, speechModel: 'universal-streaming-english' });
    expect(c.input).toEqual({ kind: 'microphone' });
    expect(c.output).toEqual({ format: 'text', timestamps: false, partials: false });
    expect(c.stop).toEqual({ once: false });
    expect(c.connectTimeoutMs).toBe(15_000);
    expect(c.reconnectAttempts).toBe(6);
    expect(c.quiet).toBe(false);
    expect(c.color).toBeUndefined();
  });

  it('takes every flag', () => {
    const c = resolveConfig(
      {
        apiKey: 'flag-key-1234',
        sampleRate: '48000',
        formatTurns: false,
        speechModel: 'universal-streaming-multilingual',
        apiHost: 'streaming.eu.assemblyai.com',
        device: 'hw:1',
        keyterms: 'Kubernetes, AssemblyAI ,',
        endOfTurnConfidenceThreshold: '0',
        minTurnSilence: '160',
        maxTurnSilence: '400',
        inactivityTimeout: '5',
        connectTimeout: '3',
        quiet: true,
        color: false,
      },
      env,
    );
    expect(c).toEqual({
      auth: { kind: 'key', apiKey: 'flag-key-1234' },
      input: { kind: 'microphone', device: 'hw:1' },
      output: { format: 'text', timestamps: false, partials: false },
      stop: { once: false },
      endpoint: 'wss://streaming.eu.assemblyai.com/v3/ws',
      // Issue 23: the EU streaming host means the EU LLM Gateway; nothing is sent without --notes or the ? key.
      llm: { apiKey: 'flag-key-1234', gateway: { base: 'https://llm-gateway.eu.assemblyai.com', region: 'eu' } },
      params: {
        sampleRateHz: 48000,
        encoding: 'pcm_s16le',
        formatTurns: false,
        speechModel: 'universal-streaming-multilingual',
        keyterms: ['Kubernetes', 'AssemblyAI'],
        endOfTurnConfidenceThreshold: 0,
        minTurnSilenceMs: 160,
        maxTurnSilenceMs: 400,
        inactivityTimeoutS: 5,
      },
      connectTimeoutMs: 3000,
      reconnectAttempts: 6,
      quiet: true,
      color: false,
    });
  });

  it('uses a token instead of a key', () => {
    expect(resolveConfig({ token: 'tok-abcdef' }, env).auth).toEqual({ kind: 'token', token: 'tok-abcdef' });
  });

  it('honours NO_COLOR only when non-empty', () => {
    expect(resolveConfig({}, { ...env, NO_COLOR: '1' }).color).toBe(false);
    expect(resolveConfig({}, { ...env, NO_COLOR: '' }).color).toBeUndefined();
  });

  it.each([
    [{ sampleRate: 'abc' }, /--sample-rate must be a whole number/],
    [{ sampleRate: '0' }, /--sample-rate must be between 8000/],
    [{ sampleRate: '7999' }, /between 8000/],
    [{ sampleRate: '16000.5' }, /whole number/],
    [{ endOfTurnConfidenceThreshold: '2' }, /from 0 to 1/],
    [{ endOfTurnConfidenceThreshold: '-0.1' }, /from 0 to 1/],
    [{ endOfTurnConfidenceThreshold: 'x' }, /from 0 to 1/],
    [{ minTurnSilence: '-1' }, /whole number/],
    [{ minTurnSilence: '900', maxTurnSilence: '400' }, /longer than --max-turn-silence/],
    [{ inactivityTimeout: '4' }, /between 5 and 3600/],
    [{ inactivityTimeout: '3601' }, /between 5 and 3600/],
    [
      { speechModel: 'universal-streaming-englsh' },
      /unknown --speech-model "universal-streaming-englsh": did you mean universal-streaming-english\?/,
    ],
    [{ keyterms: ' , ' }, /--keyterms is empty/],
    [{ keyterms: Array.from({ length: 101 }, (_, i) => `t${i}`).join(',') }, /at most 100/],
    [{ keyterms: 'x'.repeat(51) }, /longer than 50/],
    [{ apiKey: 'a', token: 'b' }, /cannot be used together/],
    [{ apiKey: '   ' }, /--api-key is empty/],
    [{ apiKey: 'Bearer abcdef' }, /Bearer/],
    [{ apiKey: '"abcdef"' }, /quotes/],
    [{ apiKey: 'abc def' }, /spaces or quotes/],
    [{ device: ' ' }, /--device is empty/],
    [{ connectTimeout: '0' }, /--connect-timeout must be between 1 and 300/],
  ] as [RawOptions, RegExp][])('refuses %j', (raw, message) => {
    expect(usage(raw)).toMatch(message);
  });

  it('refuses a missing key with what to do', () => {
    expect(usage({}, {})).toMatch(/set ASSEMBLYAI_API_KEY, pass --api-key, or run live-transcribe login/);
  });

  it('never puts the secret in the error', () => {
    expect(usage({ apiKey: 'Bearer s3cr3t-value' })).not.toContain('s3cr3t');
    expect(usage({ apiKey: 'abc s3cr3t' })).not.toContain('s3cr3t');
  });
});

describe('inputs, outputs and stop conditions', () => {
  it('reads files, raw files and standard input', () => {
    expect(resolveConfig({ input: 'a.wav' }, env).input).toEqual({ kind: 'file', path: 'a.wav', raw: false });
    expect(resolveConfig({ input: 'a.pcm' }, env).input).toEqual({ kind: 'file', path: 'a.pcm', raw: true });
    expect(resolveConfig({ input: 'a.bin', encoding: 'pcm_mulaw' }, env)).toMatchObject({
      input: { kind: 'file', raw: true },
      params: { encoding: 'pcm_mulaw' },
    });
    expect(resolveConfig({ input: '-' }, env).input).toEqual({ kind: 'stdin' });
  });

  it('takes the file format from the extension unless --format is given', () => {
    expect(resolveConfig({ output: 'x.srt' }, env).output).toEqual({
      format: 'text',
      file: { path: 'x.srt', format: 'srt', mode: 'create' },
      timestamps: false,
      partials: false,
    });
    expect(resolveConfig({ output: 'x.vtt', append: true }, env).output.file).toEqual({ path: 'x.vtt', format: 'vtt', mode: 'append' });
    expect(resolveConfig({ output: 'x.ndjson', force: true }, env).output.file).toEqual({ path: 'x.ndjson', format: 'json', mode: 'overwrite' });
    expect(resolveConfig({ output: 'x.jsonl' }, env).output.file?.format).toBe('json');
    expect(resolveConfig({ output: 'notes.TXT' }, env).output.file?.format).toBe('text');
    expect(resolveConfig({ output: 'notes.md', format: 'text' }, env).output.file?.format).toBe('text');
    expect(resolveConfig({ output: 'notes', format: 'srt' }, env).output).toMatchObject({ format: 'srt', file: { format: 'srt' } });
    expect(resolveConfig({ output: 'x.srt', format: 'json' }, env).output).toMatchObject({ format: 'json', file: { format: 'json' } });
  });

  it('--save-audio, replaced only with --force', () => {
    expect(resolveConfig({ saveAudio: 'a.wav' }, env).saveAudio).toEqual({ path: 'a.wav', overwrite: false });
    expect(resolveConfig({ saveAudio: 'a.wav', force: true }, env).saveAudio).toEqual({ path: 'a.wav', overwrite: true });
  });

  it('parses durations with units', () => {
    expect(resolveConfig({ maxDuration: '90' }, env).stop).toEqual({ once: false, maxDurationMs: 90_000 });
    expect(resolveConfig({ maxDuration: '1.5m', untilSilence: '500ms', once: true }, env).stop).toEqual({
      once: true,
      maxDurationMs: 90_000,
      untilSilenceMs: 500,
    });
    expect(resolveConfig({ maxDuration: '1h' }, env).stop.maxDurationMs).toBe(3_600_000);
  });

  it.each([
    [{ input: '' }, /--input is empty/],
    [{ encoding: 'flac', input: '-' }, /unknown --encoding "flac"/],
    [{ encoding: 'pcm_mulaw' }, /--encoding applies to raw audio from --input/],
    [{ device: 'x', input: 'a.wav' }, /--device and --input cannot be used together/],
    [{ format: 'xml' }, /unknown --format "xml"/],
    [{ output: '-' }, /--output needs a file name/],
    [{ output: 'out.docx' }, /^--output out\.docx: unknown extension \.docx$/],
    [{ output: 'notes' }, /^--output notes has no extension to tell the format from$/],
    [{ append: true }, /--append needs --output/],
    [{ force: true }, /--force needs --output <file> or --save-audio/],
    [{ saveAudio: '' }, /--save-audio needs a file name/],
    [{ saveAudio: 'a.txt', output: 'a.txt' }, /name the same file/],
    [{ output: 'a.txt', append: true, force: true }, /cannot be used together/],
    [{ partials: true }, /--partials applies to --format json/],
    [{ timestamps: true, format: 'srt' }, /--timestamps applies to text output/],
    [{ maxDuration: '0' }, /--max-duration must be a positive duration/],
    [{ untilSilence: 'soon' }, /--until-silence must be a positive duration/],
  ] as [RawOptions, RegExp][])('refuses %j', (raw, message) => {
    expect(usage(raw)).toMatch(message);
  });
});

describe('parseApiHost', () => {
  it.each([
    ['streaming.assemblyai.com', 'wss://streaming.assemblyai.com/v3/ws'],
    ['streaming.eu.assemblyai.com', 'wss://streaming.eu.assemblyai.com/v3/ws'],
    ['localhost:8080', 'wss://localhost:8080/v3/ws'],
    ['wss://example.com', 'wss://example.com/v3/ws'],
    ['wss://example.com/custom/path', 'wss://example.com/custom/path'],
    ['ws://127.0.0.1:1234', 'ws://127.0.0.1:1234/v3/ws'],
    ['ws://localhost:1234/', 'ws://localhost:1234/v3/ws'],
    ['ws://[::1]:1234', 'ws://[::1]:1234/v3/ws'],
  ])('%s -> %s', (input, url) => {
    expect(parseApiHost(input)).toBe(url);
  });

  it.each([
    ['ws://example.com', /only allowed to localhost/],
    ['ws://10.0.0.1:80', /only allowed to localhost/],
    ['https://example.com', /ws:\/\/ or wss:\/\/ URL/],
    ['example.com/path', /not a host name/],
    ['wss://user:pw@example.com', /credentials/],
    ['', /empty/],
  ])('refuses %s', (input, message) => {
    expect(() => parseApiHost(input)).toThrow(message);
  });
});

describe('resolveAuth: the one precedence, shared with doctor', () => {
  it.each([
    [{ token: ' tok ' }, { ASSEMBLYAI_API_KEY: 'envkey' }, { ok: true, source: '--token', auth: { kind: 'token', token: 'tok' } }],
    [{ apiKey: 'flagkey' }, { ASSEMBLYAI_API_KEY: 'envkey' }, { ok: true, source: '--api-key', auth: { kind: 'key', apiKey: 'flagkey' } }],
    [{}, { ASSEMBLYAI_API_KEY: ' envkey\n' }, { ok: true, source: 'ASSEMBLYAI_API_KEY', auth: { kind: 'key', apiKey: 'envkey' } }],
    [{}, { ASSEMBLYAI_API_KEY: '' }, { ok: false, reason: 'missing' }],
    [{}, {}, { ok: false, reason: 'missing' }],
    [{ apiKey: 'a', token: 'b' }, {}, { ok: false, reason: 'conflict' }],
    [{ token: '' }, { ASSEMBLYAI_API_KEY: 'envkey' }, { ok: false, reason: 'malformed', source: '--token' }],
    [{}, { ASSEMBLYAI_API_KEY: 'Bearer x' }, { ok: false, reason: 'malformed', source: 'ASSEMBLYAI_API_KEY' }],
  ] as [RawOptions, Record<string, string>, object][])('%j with %j', (raw, e, expected) => {
    expect(resolveAuth(raw, e)).toMatchObject(expected);
  });

  it('carries the usage error the run shows, never the secret', () => {
    const missing = resolveAuth({}, {});
    expect(missing.ok === false && missing.error.message).toBe('no API key: set ASSEMBLYAI_API_KEY, pass --api-key, or run live-transcribe login');
    expect(missing.ok === false && missing.error.hint).toBe(NO_API_KEY_HINT);
    const bad = resolveAuth({ apiKey: 'Bearer s3cr3t-value' }, {});
    expect(bad.ok === false && bad.error.message).toMatch(/^--api-key starts with "Bearer "/);
    expect(bad.ok === false && bad.error.message).not.toContain('s3cr3t');
  });
});
