/** zsh is not installed on the test machine: the script's content, line by line (test/integration/completion.test.ts runs `zsh -n` where it is). */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../../src/cli.js';
import { createCompletionSpec } from '../../../src/completion/spec.js';
import { formatZshCompletion, zshQuote } from '../../../src/completion/zsh.js';

const script = formatZshCompletion(createCompletionSpec(createProgram('1.0.0')));
const lines = script.split('\n').map((l) => l.trim());

describe('formatZshCompletion', () => {
  it('works from $fpath (#compdef) and sourced (compdef)', () => {
    expect(lines[0]).toBe('#compdef live-transcribe');
    expect(script).toContain(
      'if [[ ${funcstack[1]-} == _live_transcribe ]]; then\n  _live_transcribe "$@"\nelse\n  compdef _live_transcribe \'live-transcribe\'\nfi\n',
    );
  });

  it.each([
    `'--format[stdout format (one of\\: text, json, srt, vtt; default\\: text)]:format:(text json srt vtt)' \\`,
    `'(-o --output)'{-o,--output}'[also write the transcript to a file (.txt .jsonl .srt .vtt; {date} {time} give a new file each run)]:output:_files' \\`,
    `'(-i --input)'{-i,--input}'[transcribe a file (WAV, or any format SoX reads) or standard input (-)]:input:_files' \\`,
    `'--device[recording device (repeat for a meeting\\: NAME=Label)]:device:_live_transcribe_list_devices' \\`,
    `'--force[replace an existing --output file]' \\`,
    `'--timestamps[prefix text lines with \\[hh\\:mm\\:ss.mmm -> hh\\:mm\\:ss.mmm\\]]' \\`,
    `'--token[a temporary streaming token instead of a key]:token: ' \\`,
    `'1:: :_live_transcribe_subcommands'`,
    `values=(\${(f)"$(_live_transcribe_list devices)"})`,
    `timeout 2 'live-transcribe' completion --list "$1" 2>/dev/null`,
    `subcommands=('doctor:check SoX, the microphone, the key and the network' 'config:print the effective settings and where each came from' 'completion:print a shell completion script' 'help:show the help')`,
    `completion) _arguments -s -S '(-h --help)'{-h,--help}'[show this help (--help all\\: every option)]' '1:shell:(bash zsh fish)' ;;`,
    `config) _arguments -s -S '--config[another config file (also\\: $LIVE_TRANSCRIBE_CONFIG)]:config:_files' '--profile[show the settings with this profile (also\\: $LIVE_TRANSCRIBE_PROFILE)]:profile:_live_transcribe_list_profiles' '--path[print the config file'\\''s path]' '--init[write a commented starter file (never replaces one)]' '(-h --help)'{-h,--help}'[show this help]' ;;`,
  ])('has %s', (line) => {
    expect(lines).toContain(line);
  });

  it("completes doctor --device like --device, in doctor's words", () => {
    expect(lines.find((l) => l.startsWith('doctor)'))).toContain(
      `'--device[the recording device to test (default\\: the system default)]:device:_live_transcribe_list_devices'`,
    );
  });

  it('quotes what the flags say', () => {
    const p = new Command('lt').option('--x <v>', "it's [a]: b\\c");
    expect(formatZshCompletion(createCompletionSpec(p))).toContain(`'--x[it'\\''s \\[a\\]\\: b\\\\c]:x: ' \\`);
    expect(zshQuote("a'b")).toBe(`'a'\\''b'`);
  });
});
