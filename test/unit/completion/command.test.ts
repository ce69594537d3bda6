import { describe, expect, it } from 'vitest';
import { createProgram } from '../../../src/cli.js';
import { formatCompletionScript, listCompletionValues, runCompletionCommand, type CompletionValueDeps } from '../../../src/completion/command.js';
import { createCompletionSpec } from '../../../src/completion/spec.js';
import type { DeviceListing } from '../../../src/devices/list-devices.js';

const listing: DeviceListing = {
  platform: 'linux',
  devices: [
    { name: 'alsa_input.usb-mic', description: 'USB Mic', driver: 'pulseaudio', isDefault: true },
    { name: 'alsa_output.monitor', description: 'Monitor', driver: 'pulseaudio', isMonitor: true },
    { name: 'default', description: 'Default ALSA', driver: 'alsa' },
    { name: 'bad\nname', description: 'x', driver: 'alsa' },
    { name: 'default', description: 'again', driver: 'alsa' },
  ],
  problems: [],
};

const deps = (o: Partial<CompletionValueDeps> = {}): CompletionValueDeps => ({
  profiles: () => ['work', 'podcast', 'work'],
  devices: async () => listing,
  ...o,
});

async function runCompletion(argv: string[], values = deps()): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    program: createProgram('1.0.0'),
    values,
  };
  const code = await runCompletionCommand(argv, io);
  return { code, stdout, stderr };
}

describe('listCompletionValues', () => {
  it('lists profile names as given, once each', async () => {
    expect(await listCompletionValues('profiles', deps())).toEqual(['work', 'podcast']);
    expect(await listCompletionValues('profiles', deps({ profiles: async () => [] }))).toEqual([]);
  });

  it('lists device names (what --device takes), once each, without names a shell cannot take as a word', async () => {
    expect(await listCompletionValues('devices', deps())).toEqual(['alsa_input.usb-mic', 'alsa_output.monitor', 'default']);
  });

  it('gives an empty list when the listing outlasts its bound', async () => {
    const never = new Promise<DeviceListing>(() => {});
    expect(await listCompletionValues('devices', deps({ devices: () => never, timeoutMs: 20 }))).toEqual([]);
  });

  it('rejects when the listing fails', async () => {
    await expect(listCompletionValues('profiles', deps({ profiles: () => Promise.reject(new Error('config.toml line 3: bad')) }))).rejects.toThrow(
      'line 3',
    );
  });
});

describe('runCompletionCommand', () => {
  it.each(['bash', 'zsh', 'fish'] as const)('prints the %s script', async (shell) => {
    const r = await runCompletion([shell]);
    expect(r).toEqual({ code: 0, stdout: formatCompletionScript(shell, createCompletionSpec(createProgram('1.0.0'))), stderr: '' });
    expect(r.stdout).toContain(`${shell} completion for live-transcribe`);
  });

  it.each([
    [['tcsh'], 'unknown shell "tcsh": choose one of bash, zsh, fish'],
    [[], 'name a shell: bash, zsh, fish'],
    [['bash', 'zsh'], 'too many arguments'],
    [['--list'], '--list takes one of: profiles, devices'],
    [['--list', 'models'], '--list takes one of: profiles, devices'],
    [['--list', 'devices', 'x'], 'too many arguments'],
  ])('%j is a usage error (2)', async (argv, message) => {
    expect(await runCompletion(argv)).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: ${message}\n  run live-transcribe completion --help for usage\n`,
    });
  });

  it('prints its help', async () => {
    const r = await runCompletion(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: live-transcribe completion bash\|zsh\|fish\n/);
    expect(r.stdout).toContain('source <(live-transcribe completion bash)');
  });

  it.each([
    [['--list', 'profiles'], 'work\npodcast\n'],
    [['--list=profiles'], 'work\npodcast\n'],
    [['--list', 'devices'], 'alsa_input.usb-mic\nalsa_output.monitor\ndefault\n'],
  ])('%j prints one value a line', async (argv, stdout) => {
    expect(await runCompletion(argv)).toEqual({ code: 0, stdout, stderr: '' });
  });

  it('exits 1 with nothing on stdout when a listing fails', async () => {
    const r = await runCompletion(
      ['--list', 'profiles'],
      deps({
        profiles: () => {
          throw new Error('config.toml line 3: bad');
        },
      }),
    );
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: cannot list profiles: config.toml line 3: bad\n' });
  });
});
