/** The issue-22 flags through resolveConfig: --batch's needs and refusals, --replay-limit, --spool-limit, --keep-recording. */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/options/resolve.js';
import { UsageError } from '../../../src/core/errors.js';

const env = { ASSEMBLYAI_API_KEY: 'test-key-0000' };
const refused = (raw: Parameters<typeof resolveConfig>[0], e: Record<string, string> = env): string => {
  try {
    resolveConfig(raw, e);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('not refused');
};

describe('--batch', () => {
  it('takes a file and the API key; --max-duration becomes the part transcribed', () => {
    expect(resolveConfig({ batch: true, input: 'a.wav' }, env).batch).toEqual({});
    expect(resolveConfig({ batch: true, input: 'a.wav', maxDuration: '90s' }, env).batch).toEqual({ audioEndAtMs: 90_000 });
  });
  it('refuses no file, standard input, a token, and the live-only flags', () => {
    expect(refused({ batch: true })).toMatch(/--batch transcribes a file/);
    expect(refused({ batch: true, input: '-' })).toMatch(/--batch transcribes a file/);
    expect(refused({ batch: true, input: 'a.wav', token: 'tok' }, {})).toMatch(/needs an API key/);
    expect(refused({ batch: true, input: 'a.wav', tokenCommand: 'mint' }, {})).toMatch(/needs an API key/);
    expect(refused({ batch: true, input: 'a.wav', untilSilence: '5' })).toMatch(/--until-silence has no meaning with --batch/);
    expect(refused({ batch: true, input: 'a.wav', stopPhrase: ['stop now'] })).toMatch(/--stop-phrase has no meaning/);
  });
  it('notes the streaming-only options it ignores', () => {
    const c = resolveConfig({ batch: true, input: 'a.wav', minTurnSilence: '400', inactivityTimeout: '30' }, env);
    expect(c.notices).toContainEqual({
      kind: 'note',
      text: '--min-turn-silence, --inactivity-timeout are for live streaming and ignored with --batch',
    });
  });
});

describe('--replay-limit, --spool-limit, --keep-recording', () => {
  it('parse into milliseconds within their bounds', () => {
    const c = resolveConfig({ replayLimit: '5', spoolLimit: '90m', keepRecording: true }, env);
    expect(c).toMatchObject({ replayLimitMs: 5000, spoolLimitMs: 5_400_000, keepRecording: true });
    expect(refused({ replayLimit: '4' })).toMatch(/--replay-limit/);
    expect(refused({ spoolLimit: 'lots' })).toMatch(/--spool-limit/);
  });
  it('--keep-recording with a token warns that the spool cannot be recovered', () => {
    const c = resolveConfig({ keepRecording: true, token: 'tok' }, {});
    expect(c.notices?.some((n) => n.kind === 'warning' && /only the API key can recover it/.test(n.text))).toBe(true);
  });
});
