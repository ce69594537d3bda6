/**
 * The option table drives every derived artefact: each option of src/options/table.ts appears in the help of
 * each command that takes it (the full view), in the completion script of each shell, and in the config-file
 * schema, with the same allowed values; and a value goes through the same check whether it came from a flag,
 * the environment or the config file.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli.js';
import { createProgram } from '../../../src/cli.js';
import { formatBashCompletion } from '../../../src/completion/bash.js';
import { formatFishCompletion } from '../../../src/completion/fish.js';
import { createCompletionSpec, valueCompletion } from '../../../src/completion/spec.js';
import { formatZshCompletion } from '../../../src/completion/zsh.js';
import { UsageError } from '../../../src/core/errors.js';
import { parseConfigFile } from '../../../src/options/config-toml.js';
import { resolveConfig, type RawOptions } from '../../../src/options/resolve.js';
import { envLayer, explainFileError, mergeLayers } from '../../../src/options/layers.js';
import { fileKey, refusalReason } from '../../../src/options/schema.js';
import { allowedValues, flagOfField, flagsOf, OPTIONS, type CommandName, type OptionSpec } from '../../../src/options/table.js';
import { fakeCliIO } from '../../support/run-io.js';

const KEY = 'placeholder-key-0000';
const PATH = '/home/ann/.config/live-transcribe/config.toml';
const squash = (text: string): string => text.replace(/\s+/g, ' ');

async function helpOf(command: CommandName): Promise<string> {
  const { io, out } = fakeCliIO();
  const argv = command === 'run' ? ['--help', 'all'] : [command, '--help'];
  expect(await runCli(argv, io)).toBe(0);
  return squash(out());
}

/** Each (option, command) pair of the table. */
const PAIRS: Array<[string, CommandName, OptionSpec]> = OPTIONS.flatMap((o) =>
  o.commands.map((c): [string, CommandName, OptionSpec] => [o.name, c, o]),
);

describe('the help of each command, from the table', () => {
  it.each(PAIRS)('--%s is in the full help of %s, with its argument, values and default', async (_name, command, option) => {
    const help = await helpOf(command);
    const [first, ...rest] = flagsOf(option);
    const arg = option.value.kind === 'switch' ? '' : ` ${option.value.arg}`;
    if (option.short !== undefined) expect(help).toContain(`${first}, ${rest[0]}${arg}`);
    else for (const flag of flagsOf(option)) expect(help).toContain(`${flag}${option.negate === 'also' && flag.startsWith('--no-') ? '' : arg}`);
    const values = allowedValues(option);
    if (values !== undefined) expect(help).toContain(`one of: ${values.join(', ')}`);
    if (option.default !== undefined && option.value.kind !== 'switch') expect(help).toContain(`default: ${option.default}`);
    if (option.env !== undefined) expect(help).toContain(option.env);
  });

  it('groups the full help in the table order: a first run first, model tuning last', async () => {
    const help = await helpOf('run');
    const at = (title: string): number => help.indexOf(` ${title} `);
    const order = [
      'Key:',
      'Input and device:',
      'Output and format:',
      'Stop:',
      'Language and model:',
      'Config file:',
      'Connection:',
      'Model tuning (rarely needed):',
    ].map(at);
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('the plain --help shows the essential options only, and points to the rest', async () => {
    const fake = fakeCliIO();
    expect(await runCli(['--help'], fake.io)).toBe(0);
    const out = fake.out();
    for (const option of OPTIONS.filter((o) => o.commands.includes('run'))) {
      expect(out.includes(`--${option.name} `) || out.includes(`--${option.name}\n`), option.name).toBe(
        option.essential === true && option.name !== 'version',
      );
    }
    expect(out).toContain('live-transcribe --help all');
  });
});

describe('the completion of each shell, from the table', () => {
  const spec = createCompletionSpec(createProgram('9.9.9'));
  const scripts = { bash: formatBashCompletion(spec), zsh: formatZshCompletion(spec), fish: formatFishCompletion(spec) };
  const run = OPTIONS.filter((o) => o.commands.includes('run'));

  it.each(run.map((o) => [o.name, o] as const))('--%s: in bash, zsh and fish, with its values', (_name, option) => {
    const values = valueCompletion(option);
    const list = values.kind === 'choices' ? values.values : undefined;
    for (const flag of flagsOf(option)) {
      expect(scripts.bash).toContain(`'${flag}'`);
      expect(scripts.zsh).toMatch(new RegExp(`[{,']${flag}[,}\\[']`));
      expect(scripts.fish).toContain(flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`);
    }
    if (list !== undefined) {
      const long = flagsOf(option).at(-1) ?? '';
      expect(scripts.bash).toMatch(new RegExp(`${long}\\) .*printf '%s\\\\n' ${list.map((v) => `'${v}'`).join(' ')}\\)`));
      expect(scripts.zsh).toContain(`:${option.name}:(${list.join(' ')})'`);
      expect(scripts.fish).toContain(`-l ${option.name} -x -a '${list.join(' ')}'`);
    }
    // Closed choices complete exactly the values the resolve step allows.
    expect(values.kind === 'choices' && option.value.kind === 'choice' ? values.values : allowedValues(option)).toEqual(allowedValues(option));
  });

  it.each(OPTIONS.filter((o) => o.commands.includes('doctor')).map((o) => [o.name] as const))('doctor --%s completes after doctor', (name) => {
    expect(scripts.fish).toContain(`-n '__fish_seen_subcommand_from doctor'`);
    expect(
      scripts.fish
        .split('\n')
        .some((l) => l.includes('__fish_seen_subcommand_from doctor') && l.includes(`-l ${name.replace(/^color$/, 'no-color')} `)),
    ).toBe(true);
  });
});

describe('the config-file schema, from the table', () => {
  it.each(OPTIONS.map((o) => [o.name, o] as const))('%s: a key with the same values, or refused with the reason of the table', (name, option) => {
    if (option.file === true) {
      expect(fileKey(name)?.field).toBe(option.field);
      expect(fileKey(name)?.values).toEqual(allowedValues(option));
    } else {
      expect(fileKey(name)).toBeUndefined();
      expect(refusalReason(name)).toBe(option.file);
    }
  });
});

/** The error of a run given `options` from `source`, as the user reads it. */
function refusal(options: RawOptions, source: 'flag' | 'file' | 'env', env: Record<string, string> = {}): string {
  const text = Object.entries(options)
    // Numbers as TOML numbers (a string there would be refused earlier, for its TOML type).
    .map(([k, v]) => `${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} = ${/^-?\d+(\.\d+)?$/.test(String(v)) ? String(v) : JSON.stringify(v)}`)
    .join('\n');
  const layer =
    source === 'file'
      ? { source: 'file' as const, ...parseConfigFile(`${text}\n`, PATH).defaults }
      : source === 'flag'
        ? { source: 'flag' as const, options }
        : envLayer(env);
  const merged = mergeLayers([layer]);
  try {
    resolveConfig(merged.options, { ...(source === 'env' ? env : { ASSEMBLYAI_API_KEY: KEY }) });
  } catch (err) {
    if (err instanceof UsageError) return explainFileError(err, merged).message;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('one check for a value, wherever it came from', () => {
  it.each([
    ['sample-rate', { sampleRate: '5' }],
    ['sample-rate', { sampleRate: '44100.5' }],
    ['connect-timeout', { connectTimeout: '0' }],
    ['max-duration', { maxDuration: 'soon' }],
    ['until-silence', { untilSilence: '-1' }],
    ['vad-threshold', { vadThreshold: '2' }],
    ['format', { format: 'docx' }],
    ['encoding', { encoding: 'mp3' }],
    ['mode', { mode: 'fastest' }],
    ['max-speakers', { maxSpeakers: '11' }],
  ] as const)('--%s %j: the same sentence from a flag and from the file', (name, options) => {
    const fromFlag = refusal(options, 'flag');
    const fromFile = refusal(options, 'file');
    expect(fromFlag).toContain(`--${name}`);
    const sentence = fromFlag.replace(`--${name}`, name);
    expect(fromFile).toBe(`${PATH} line 1: ${sentence.startsWith(name) ? sentence : `${name}: ${sentence}`}`);
  });

  it('the API key: the same sentence from --api-key, the file and ASSEMBLYAI_API_KEY', () => {
    const bad = 'Bearer abcdef123456';
    const fromFlag = refusal({ apiKey: bad }, 'flag');
    expect(fromFlag).toMatch(/^--api-key starts with "Bearer "/);
    expect(refusal({ apiKey: bad }, 'file')).toBe(`${PATH} line 1: ${fromFlag.replace('--api-key', 'api-key')}`);
    expect(refusal({}, 'env', { ASSEMBLYAI_API_KEY: bad })).toBe(fromFlag.replace('--api-key', 'ASSEMBLYAI_API_KEY'));
    for (const text of [fromFlag]) expect(text).not.toContain('abcdef123456');
  });
});

describe('the flag of a settings field', () => {
  it('is the long flag of the entry that fills it', () => {
    expect(flagOfField('untilSilence')).toBe('--until-silence');
    expect(flagOfField('apiKey')).toBe('--api-key');
    for (const option of OPTIONS) if (option.field !== undefined) expect(flagOfField(option.field)).toBe(`--${option.name}`);
  });
});
