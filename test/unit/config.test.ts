import { describe, expect, it } from 'vitest';
import { parseApiHost, resolveConfig, type RawOptions } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';

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
    [{ speechModel: 'u3-pro' }, /unknown --speech-model "u3-pro"/],
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
    expect(usage({}, {})).toMatch(/set ASSEMBLYAI_API_KEY or pass --api-key/);
  });

  it('never puts the secret in the error', () => {
    expect(usage({ apiKey: 'Bearer s3cr3t-value' })).not.toContain('s3cr3t');
    expect(usage({ apiKey: 'abc s3cr3t' })).not.toContain('s3cr3t');
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
