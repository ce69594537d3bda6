import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../../src/cli.js';
import { MODEL_CATALOGUE } from '../../../src/streaming/models.js';
import { createCompletionSpec, flagNames, subcommandArguments, subcommandFlags, SUBCOMMANDS } from '../../../src/completion/spec.js';

describe('createCompletionSpec', () => {
  const program = createProgram('1.2.3');
  const spec = createCompletionSpec(program);
  const flag = (long: string) => spec.flags.find((f) => f.long === long);

  it('has every option of the program, plus help, by the names it goes by', () => {
    expect(spec.command).toBe('live-transcribe');
    expect(spec.flags.map((f) => f.long).sort()).toEqual([...program.options.map((o) => o.long), '--help'].sort());
    expect(flagNames(flag('--output')!)).toEqual(['-o', '--output']);
    expect(flagNames(flag('--format')!)).toEqual(['--format']);
    expect(flag('--no-color')).toEqual({ long: '--no-color', description: 'no colours (also: NO_COLOR=1)' });
  });

  it.each([
    ['--format', { kind: 'choices', values: ['text', 'json', 'srt', 'vtt'] }],
    ['--encoding', { kind: 'choices', values: ['pcm_s16le', 'pcm_mulaw'] }],
    ['--speech-model', { kind: 'choices', values: MODEL_CATALOGUE.map((m) => m.name) }],
    ['--input', { kind: 'file' }],
    ['--output', { kind: 'file' }],
    ['--save-audio', { kind: 'file' }],
    ['--device', { kind: 'list', list: 'devices' }],
    ['--api-key', { kind: 'free' }],
    ['--max-duration', { kind: 'free' }],
  ])('%s completes its value as %j', (long, value) => {
    expect(flag(long)?.value).toEqual(value);
  });

  it('leaves switches without a value', () => {
    for (const long of ['--force', '--once', '--quiet', '--no-format-turns', '--help', '--version']) expect(flag(long)?.value).toBeUndefined();
  });

  it('completes flags a program adds later by the value table (profiles, config file, modes)', () => {
    const p = new Command('live-transcribe').option('--profile <name>', 'a profile').option('--config <file>', 'a file').option('--mode <mode>', 'm');
    const s = createCompletionSpec(p, { listTimeoutS: 5 });
    expect(s.flags.map((f) => [f.long, f.value])).toEqual([
      ['--profile', { kind: 'list', list: 'profiles' }],
      ['--config', { kind: 'file' }],
      ['--mode', { kind: 'choices', values: ['min_latency', 'balanced', 'max_accuracy'] }],
      ['--help', undefined],
    ]);
    expect(s.listTimeoutS).toBe(5);
    expect(spec.listTimeoutS).toBe(2);
  });

  it('lists the subcommands; a subcommand flag completes like the main flag of that name', () => {
    expect(spec.subcommands.map((s) => s.name)).toEqual(['doctor', 'config', 'completion', 'help']);
    const doctor = SUBCOMMANDS.find((s) => s.name === 'doctor')!;
    expect(subcommandFlags(spec, doctor).find((f) => f.long === '--device')?.value).toEqual({ kind: 'list', list: 'devices' });
    const config = SUBCOMMANDS.find((s) => s.name === 'config')!;
    expect(subcommandFlags(spec, config).map((f) => f.long)).toEqual(['--config', '--profile', '--path', '--init', '--help']);
    expect(subcommandFlags(spec, config)[2]).toEqual({ long: '--path', description: "print the config file's path" });
    expect(subcommandArguments(SUBCOMMANDS.find((s) => s.name === 'completion')!)).toEqual(['bash', 'zsh', 'fish']);
  });
});
