/**
 * Every option of the table completes in the real shells (bash and fish; zsh's script is checked by `zsh -n`
 * in completion.test.ts and line by line in test/unit): the scripts as the program formats them, sourced in
 * `bash --norc` and `fish --no-config`, asked to complete `live-transcribe --`, `live-transcribe doctor --` and
 * the value of each closed choice.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProgram } from '../../src/cli.js';
import { formatBashCompletion } from '../../src/completion/bash.js';
import { formatFishCompletion } from '../../src/completion/fish.js';
import { formatZshCompletion } from '../../src/completion/zsh.js';
import { createCompletionSpec } from '../../src/completion/spec.js';
import { allowedValues, flagsOf, OPTIONS, type CommandName } from '../../src/options/table.js';
import { testTmpRoot } from '../support/fake-sox.js';
import { startTmux } from '../support/tmux.js';
import { bashCompletionArgs } from '../support/bash-completion.js';

let bashScript: string;
let _fishScript: string;

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env: { PATH: '/usr/bin:/bin', HOME: path.dirname(bashScript) }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

async function bashComplete(line: string): Promise<string[]> {
  const words = line.split(' ');
  const r = await run('bash', bashCompletionArgs(bashScript, line, words));
  expect([r.code, r.stderr]).toEqual([0, '']);
  return r.stdout
    .split('\n')
    .filter((w) => w !== '')
    .sort();
}

async function fishComplete(line: string): Promise<string[]> {
  const r = await run('fish', ['--no-config', '-c', `source ${bashScript.replace(/\.bash$/, '.fish')}; complete -C '${line}'`]);
  expect([r.code, r.stderr]).toEqual([0, '']);
  return r.stdout
    .split('\n')
    .filter((w) => w !== '')
    .map((l) => l.split('\t')[0] ?? '')
    .sort();
}

/** The long flags of a command's options in the table. */
const longFlags = (command: CommandName): string[] =>
  OPTIONS.filter((o) => o.commands.includes(command))
    .flatMap((o) => flagsOf(o).filter((f) => f.startsWith('--')))
    .sort();
const CHOICES = OPTIONS.filter((o) => o.commands.includes('run') && allowedValues(o) !== undefined);

beforeAll(async () => {
  const dir = await mkdtemp(path.join(testTmpRoot(), 'lt-completion-table-'));
  const spec = createCompletionSpec(createProgram('9.9.9'));
  bashScript = path.join(dir, 'live-transcribe.bash');
  await writeFile(bashScript, formatBashCompletion(spec));
  await writeFile(path.join(dir, 'live-transcribe.fish'), formatFishCompletion(spec));
  await writeFile(path.join(dir, 'live-transcribe.zsh'), formatZshCompletion(spec));
  await writeFile(
    path.join(dir, '.zshrc'),
    `PS1='$ '\nautoload -U compinit && compinit -u -d ${dir}/.zcompdump\nsource ${dir}/live-transcribe.zsh\n`,
  );
});

describe.each([
  ['bash', bashComplete],
  ['fish', fishComplete],
] as const)('%s completes every option of the table', (_shell, complete) => {
  it('after live-transcribe: every long flag of the run', async () => {
    expect(await complete('live-transcribe --')).toEqual(longFlags('run'));
  });

  it('after live-transcribe doctor: every long flag of doctor', async () => {
    expect(await complete('live-transcribe doctor --')).toEqual(longFlags('doctor'));
  });

  it.each(CHOICES.map((o) => [o.name, allowedValues(o) ?? []] as const))('--%s: exactly the values the table allows', async (name, values) => {
    expect(await complete(`live-transcribe --${name} `)).toEqual([...values].sort());
  });
});

describe('zsh (interactive, in tmux) completes every option of the table', () => {
  it('lists every long flag of the run after --, and the values of each closed choice', async () => {
    const dir = path.dirname(bashScript);
    const session = await startTmux('exec zsh -i', { cols: 200, rows: 150, cwd: dir, env: { PATH: '/usr/bin:/bin', ZDOTDIR: dir, HOME: dir } });
    try {
      const prompt = (s: string): boolean => s.trimEnd().split('\n').pop() === '$';
      await session.waitForScreen(prompt, 10_000);
      // zsh inserts what the matches have in common at the first Tab (pcm_) and lists them at the next one.
      const listed = async (typed: string, expected: readonly string[], tabs = 1): Promise<void> => {
        await session.sendText(typed);
        for (let i = 0; i < tabs; i++) await session.sendKeys('Tab');
        const screen = await session.waitForScreen(
          (s) => expected.every((w) => new RegExp(`(^|\\s)${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`, 'm').test(s)),
          10_000,
        );
        for (const w of expected) expect(screen).toMatch(new RegExp(`(^|\\s)${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`, 'm'));
        // Not Ctrl+C: its signal flushes the keys typed after it. Erase the line, clear the screen, wait for it.
        await session.sendKeys('C-u');
        await session.sendKeys('C-l');
        await session.waitForScreen((s) => s.trim() === '$', 10_000);
      };
      await listed('live-transcribe --', longFlags('run'));
      for (const option of CHOICES) await listed(`live-transcribe --${option.name} `, allowedValues(option) ?? [], 2);
    } finally {
      await session.kill();
    }
  });
});
