import { describe, expect, it } from 'vitest';
import { createTokenSource, tokenFromCommand, tokenUsedError, type TokenCommandResult } from '../../../src/streaming/tokens.js';
import { ErrorCode } from '../../../src/core/errors.js';

const ok = (stdout: string): TokenCommandResult => ({ code: 0, stdout, stderr: '' });

describe('tokenFromCommand', () => {
  it('takes the output trimmed', () => {
    expect(tokenFromCommand(ok('  AQIabc\n'))).toEqual({ ok: true, token: 'AQIabc' });
  });

  it.each([
    [{ code: 1, stdout: 'AQIx', stderr: 'mint: no key\nmore' }, '--token-command failed: it exited with code 1 (mint: no key)'],
    [
      { code: null, stdout: '', stderr: '', errorMessage: '/bin/sh did not finish within 30000 ms' },
      '--token-command failed: /bin/sh did not finish within 30000 ms',
    ],
    [ok('\n'), '--token-command failed: it printed nothing'],
    [ok('two words'), '--token-command failed: what it printed is not a token (one line, no spaces)'],
  ])('refuses %j', (result, message) => {
    const got = tokenFromCommand(result);
    expect(got.ok).toBe(false);
    if (!got.ok) {
      expect(got.error.message).toBe(message);
      expect(got.error.code).toBe(ErrorCode.auth);
      expect(got.error.message).not.toContain('AQIx');
    }
  });
});

describe('createTokenSource', () => {
  const never = (): Promise<TokenCommandResult> => Promise.reject(new Error('not run'));

  it('a key serves every session', async () => {
    const s = createTokenSource({ kind: 'key', apiKey: 'k' }, never);
    expect(await s.next()).toEqual({ kind: 'key', apiKey: 'k' });
    expect(await s.next()).toEqual({ kind: 'key', apiKey: 'k' });
    expect(s.renewal('reconnect')).toBeUndefined();
  });

  it('a plain token serves one session; after it, no renewal, with the reason and the fix', async () => {
    const s = createTokenSource({ kind: 'token', token: 't' }, never);
    expect(s.renewal('rollover')).toBeUndefined();
    expect(await s.next()).toEqual({ kind: 'token', token: 't' });
    expect(s.renewal('rollover')?.message).toMatch(/time limit.*serves one session/);
    expect(s.renewal('reconnect')?.message).toMatch(/connection dropped.*serves one session/);
    await expect(s.next()).rejects.toMatchObject({ code: ErrorCode.auth });
  });

  it('a token command runs before each session', async () => {
    const runs: string[] = [];
    const s = createTokenSource({ kind: 'token-command', command: 'mint' }, (command) => {
      runs.push(command);
      return Promise.resolve(ok(`tok-${runs.length}\n`));
    });
    expect(await s.next()).toEqual({ kind: 'token', token: 'tok-1' });
    expect(await s.next()).toEqual({ kind: 'token', token: 'tok-2' });
    expect(runs).toEqual(['mint', 'mint']);
    expect(s.renewal('reconnect')).toBeUndefined();
  });

  it('says what to do instead of --token', () => {
    expect(tokenUsedError('reconnect').hint).toMatch(/--token-command CMD .* or an API key/);
  });
});
