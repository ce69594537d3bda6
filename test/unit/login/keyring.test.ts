import { describe, expect, it } from 'vitest';
import { detectKeyring, macKeychain, quoteForSecurity, secretToolKeyring, type RunTool } from '../../../src/login/keyring.js';

function recorder(answers: Record<string, { code: number; stdout?: string }>): {
  run: RunTool;
  calls: { cmd: string; args: readonly string[]; input: string }[];
} {
  const calls: { cmd: string; args: readonly string[]; input: string }[] = [];
  const run: RunTool = (cmd, args, input) => {
    calls.push({ cmd, args, input });
    const a = answers[args[0] ?? ''] ?? { code: 0 };
    return Promise.resolve({ code: a.code, stdout: a.stdout ?? '', stderr: '' });
  };
  return { run, calls };
}

describe('secret-tool', () => {
  it('stores the key through stdin, never in the arguments', async () => {
    const { run, calls } = recorder({});
    expect(await secretToolKeyring(run).store('k-secret')).toBe(true);
    expect(calls).toEqual([
      {
        cmd: 'secret-tool',
        args: ['store', '--label=live-transcribe API key', 'service', 'live-transcribe', 'account', 'api-key'],
        input: 'k-secret',
      },
    ]);
  });
  it('lookup: the printed key, or undefined when there is none', async () => {
    expect(await secretToolKeyring(recorder({ lookup: { code: 0, stdout: 'k-1\n' } }).run).lookup()).toBe('k-1');
    expect(await secretToolKeyring(recorder({ lookup: { code: 1 } }).run).lookup()).toBeUndefined();
  });
  it('clear says whether there was a key', async () => {
    expect(await secretToolKeyring(recorder({ lookup: { code: 1 } }).run).clear()).toBe(false);
    expect(await secretToolKeyring(recorder({ lookup: { code: 0, stdout: 'k' } }).run).clear()).toBe(true);
  });
});

describe('macOS security', () => {
  it('stores through `security -i`, the key quoted on stdin', async () => {
    const { run, calls } = recorder({});
    await macKeychain(run).store('a"b');
    expect(calls[0]).toEqual({ cmd: 'security', args: ['-i'], input: 'add-generic-password -U -s live-transcribe -a api-key -w "a\\"b"\n' });
    expect(quoteForSecurity('x\\y')).toBe('"x\\\\y"');
  });
});

describe('detectKeyring', () => {
  it('none without the tool on PATH, or with LIVE_TRANSCRIBE_KEYRING=none', () => {
    expect(detectKeyring('linux', { PATH: '/nonexistent' })).toBeUndefined();
    expect(detectKeyring('linux', { PATH: '/bin:/usr/bin', LIVE_TRANSCRIBE_KEYRING: 'none' })).toBeUndefined();
    expect(detectKeyring('win32', { PATH: '/bin:/usr/bin' })).toBeUndefined();
  });
});
