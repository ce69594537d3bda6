/**
 * The bash completion script in real bash, as the built binary prints it (`live-transcribe completion bash`
 * from dist/: build first): sourced under `set -u` in `bash --norc --noprofile` (no bash-completion loaded),
 * COMP_WORDS/COMP_CWORD/COMP_LINE/COMP_POINT set the way bash sets them, the completion function called,
 * COMPREPLY printed. For profiles and devices the script calls `live-transcribe` on PATH: mostly a stub
 * printing fixed lists, and once the real binary reading a real config file.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';
import { testTmpRoot } from '../support/fake-sox.js';
import { startTmux } from '../support/tmux.js';
import { bashCompletionArgs } from '../support/bash-completion.js';

let work: string;
let files: string;
let script: string;

const STUB = `#!/bin/sh
[ -n "\${STUB_SLOW-}" ] && exec sleep 30
if [ "$1 $2" = "completion --list" ]; then
  case $3 in
    profiles) printf '%s\\n' work podcast 'late night'; exit 0 ;;
    devices) printf '%s\\n' alsa_input.usb-mic 'USB Mic' hw:1,0; exit 0 ;;
  esac
fi
exit 2
`;

/** COMP_WORDS as bash makes them: split at blanks, and at = and : (COMP_WORDBREAKS) into words of their own. */
function compWords(line: string): string[] {
  const words = line
    .split(/(?<!\\)\s+/)
    .filter((w) => w !== '')
    .flatMap((w) => w.split(/([=:]+)/).filter((p) => p !== ''));
  return line.endsWith(' ') ? [...words, ''] : words;
}

function run(
  command: string,
  args: string[],
  o: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: o.cwd ?? work, env: { PATH: `${path.join(work, 'bin')}:/usr/bin:/bin`, ...o.env }, timeout: o.timeoutMs ?? 20_000 },
      (err, stdout, stderr) => {
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, stdout, stderr });
      },
    );
  });
}

async function complete(line: string, env: Record<string, string> = {}): Promise<string[]> {
  const words = compWords(line);
  const r = await run('bash', bashCompletionArgs(script, line, words), {
    env,
    cwd: files,
  });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout
    .split('\n')
    .filter((w) => w !== '')
    .sort();
}

beforeAll(async () => {
  work = await mkdtemp(path.join(testTmpRoot(), 'lt-completion-'));
  files = path.join(work, 'files');
  await mkdir(path.join(files, 'sub'), { recursive: true });
  await Promise.all(['meeting.srt', 'notes.txt', 'my notes.txt'].map((f) => writeFile(path.join(files, f), '')));
  await mkdir(path.join(work, 'bin'));
  await writeFile(path.join(work, 'bin', 'live-transcribe'), STUB);
  await chmod(path.join(work, 'bin', 'live-transcribe'), 0o755);
  // The script exactly as the built binary prints it.
  const printed = await run(process.execPath, [BIN, 'completion', 'bash'], { env: { PATH: process.env.PATH ?? '' } });
  expect([printed.code, printed.stderr]).toEqual([0, '']);
  script = path.join(work, 'live-transcribe.bash');
  await writeFile(script, printed.stdout);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('bash completion script in bash', () => {
  it('sources under set -u without bash-completion and registers a plain complete -F', async () => {
    const r = await run('bash', [
      '--norc',
      '--noprofile',
      '-c',
      `set -u; source "$1"; complete -p live-transcribe; type -t _init_completion || echo no-bash-completion`,
      'bash',
      script,
    ]);
    expect(r).toEqual({ code: 0, stdout: 'complete -F _live_transcribe live-transcribe\nno-bash-completion\n', stderr: '' });
  });

  it.each([
    ['live-transcribe --fo', ['--force', '--format', '--format-turns']],
    ['live-transcribe --format ', ['json', 'srt', 'text', 'vtt']],
    ['live-transcribe --format s', ['srt']],
    ['live-transcribe --format=', ['json', 'srt', 'text', 'vtt']],
    ['live-transcribe --format=v', ['vtt']],
    ['live-transcribe --quiet --encoding pcm_m', ['pcm_mulaw']],
    ['live-transcribe --speech-model universal-3-6', ['universal-3-6', 'universal-3-6-pro']],
    ['live-transcribe do', ['doctor']],
    ['live-transcribe ', ['completion', 'config', 'doctor', 'help']],
    ['live-transcribe completion ', ['--help', 'bash', 'fish', 'zsh']],
    ['live-transcribe config --p', ['--path', '--profile']],
    ['live-transcribe config --profile w', ['work']],
    ['live-transcribe --api-key ', []],
    ['live-transcribe --quiet x', []],
  ])('%j offers %j', async (line, expected) => {
    expect(await complete(line)).toEqual(expected);
  });

  it('offers file names where a flag takes a file', async () => {
    expect(await complete('live-transcribe -o ')).toEqual(['meeting.srt', 'my notes.txt', 'notes.txt', 'sub']);
    expect(await complete('live-transcribe --output me')).toEqual(['meeting.srt']);
    expect(await complete('live-transcribe --format srt --save-audio n')).toEqual(['notes.txt']);
    expect(await complete('live-transcribe -i my\\ n')).toEqual(['my notes.txt']);
  });

  it('offers profile names from the binary, escaped for the shell', async () => {
    expect(await complete('live-transcribe --profile ')).toEqual(['late\\ night', 'podcast', 'work']);
    expect(await complete('live-transcribe --profile l')).toEqual(['late\\ night']);
  });

  it('offers device names from the binary, also after doctor and inside a name with a colon', async () => {
    expect(await complete('live-transcribe --device ')).toEqual(['USB\\ Mic', 'alsa_input.usb-mic', 'hw:1\\,0']);
    expect(await complete('live-transcribe doctor --device U')).toEqual(['USB\\ Mic']);
    // readline replaces only what follows the last ':' (a COMP_WORDBREAKS character); %q escapes the comma.
    expect(await complete('live-transcribe --device hw:')).toEqual(['1\\,0']);
    expect(await complete('live-transcribe --device=a')).toEqual(['alsa_input.usb-mic']);
  });

  it('offers the profiles of the real config file, listed by the real binary', async () => {
    const real = path.join(work, 'real-bin');
    await mkdir(real, { recursive: true });
    await writeFile(path.join(real, 'live-transcribe'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
    await chmod(path.join(real, 'live-transcribe'), 0o755);
    const xdg = path.join(work, 'xdg');
    await mkdir(path.join(xdg, 'live-transcribe'), { recursive: true });
    await writeFile(path.join(xdg, 'live-transcribe', 'config.toml'), '[profiles.meeting]\nformat = "srt"\n[profiles.podcast]\nformat = "vtt"\n');
    const env = { PATH: `${real}:/usr/bin:/bin`, XDG_CONFIG_HOME: xdg };
    expect(await complete('live-transcribe --profile ', env)).toEqual(['meeting', 'podcast']);
    expect(await complete('live-transcribe --profile p', env)).toEqual(['podcast']);
  });

  it('gives up on a listing that hangs, after the script timeout, offering nothing', async () => {
    const started = Date.now();
    expect(await complete('live-transcribe --device ', { STUB_SLOW: '1' })).toEqual([]);
    // The script's bound is 2 s; the margin is generous (the stub sleeps 30 s).
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('bash completion in an interactive bash (tmux): what readline inserts', () => {
  it('completes values after = and :, and escapes spaces, as typed with Tab', async () => {
    const rc = path.join(work, 'bashrc');
    await writeFile(rc, `set -u\nPS1='$ '\nsource ${JSON.stringify(script)}\n`);
    const session = await startTmux(`exec bash --noprofile --rcfile ${JSON.stringify(rc)} -i`, {
      cols: 100,
      rows: 30,
      cwd: files,
      env: { PATH: `${path.join(work, 'bin')}:/usr/bin:/bin` },
    });
    try {
      const prompt = (s: string): boolean => s.trimEnd().split('\n').pop() === '$';
      await session.waitForScreen(prompt, 10_000);
      for (const [typed, shown] of [
        ['live-transcribe --format=s', 'live-transcribe --format=srt '],
        ['live-transcribe --device hw:', 'live-transcribe --device hw:1\\,0 '],
        ['live-transcribe --profile la', 'live-transcribe --profile late\\ night '],
        ['live-transcribe -o my', 'live-transcribe -o my\\ notes.txt '],
        ['live-transcribe --spee', 'live-transcribe --speech-model '],
        // Two flags share the prefix: readline inserts what they have in common.
        ['live-transcribe --redact', 'live-transcribe --redact-pii'],
        ['live-transcribe do', 'live-transcribe doctor '],
      ] as const) {
        await session.sendText(typed);
        await session.sendKeys('Tab');
        // The line as readline left it, before the next key: the cursor sits after the inserted space.
        await session.sendText('#');
        const screen = await session.waitForScreen((s) => s.includes(`${shown}#`), 10_000);
        expect(screen).toContain(`$ ${shown}#`);
        await session.sendKeys('C-c');
        await session.waitForScreen(prompt, 10_000);
      }
    } finally {
      await session.kill();
    }
  });
});

describe('zsh and fish scripts', () => {
  // Not installed on this machine (then skipped): their content is unit-tested in test/unit/completion/.
  it('zsh -n parses the zsh script', async () => {
    expect(await parseScript('zsh', ['-n'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });
  it('fish --no-execute parses the fish script', async () => {
    expect(await parseScript('fish', ['--no-execute'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

async function parseScript(shell: 'zsh' | 'fish', flags: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = path.join(work, `live-transcribe.${shell}`);
  const printed = await run(process.execPath, [BIN, 'completion', shell], { env: { PATH: process.env.PATH ?? '' } });
  await writeFile(file, printed.stdout);
  return run(shell, [...flags, file], { env: { PATH: process.env.PATH ?? '' } });
}
