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
import { createCompletionSpec } from '../../src/completion/spec.js';
import { allowedValues, flagsOf, OPTIONS, type CommandName } from '../../src/options/table.js';
import { testTmpRoot } from '../support/fake-sox.js';

let bashScript: string;
let fishScript: string;

const HARNESS = `set -u
source "$1"
COMP_CWORD=$2
COMP_LINE=$3
COMP_POINT=\${#COMP_LINE}
shift 3
COMP_WORDS=("$@")
COMPREPLY=()
_live_transcribe live-transcribe "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]-}"
printf '%s\\n' "\${COMPREPLY[@]}"
`;

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env: { PATH: '/usr/bin:/bin', HOME: path.dirname(bashScript) }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

async function bashComplete(line: string): Promise<string[]> {
  const words = line.split(' ');
  const r = await run('bash', ['--norc', '--noprofile', '-c', HARNESS, 'bash', bashScript, String(words.length - 1), line, ...words]);
  expect([r.code, r.stderr]).toEqual([0, '']);
  return r.stdout.split('\n').filter((w) => w !== '').sort();
}

async function fishComplete(line: string): Promise<string[]> {
  const r = await run('fish', ['--no-config', '-c', `source ${bashScript.replace(/\.bash$/, '.fish')}; complete -C '${line}'`]);
  expect([r.code, r.stderr]).toEqual([0, '']);
  return r.stdout.split('\n').filter((w) => w !== '').map((l) => l.split('\t')[0] ?? '').sort();
}

/** The long flags of a command's options in the table. */
const longFlags = (command: CommandName): string[] => OPTIONS.filter((o) => o.commands.includes(command)).flatMap((o) => flagsOf(o).filter((f) => f.startsWith('--'))).sort();
const CHOICES = OPTIONS.filter((o) => o.commands.includes('run') && allowedValues(o) !== undefined);

beforeAll(async () => {
  const dir = await mkdtemp(path.join(testTmpRoot(), 'lt-completion-table-'));
  const spec = createCompletionSpec(createProgram('9.9.9'));
  bashScript = path.join(dir, 'live-transcribe.bash');
  await writeFile(bashScript, formatBashCompletion(spec));
  await writeFile(path.join(dir, 'live-transcribe.fish'), formatFishCompletion(spec));
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
