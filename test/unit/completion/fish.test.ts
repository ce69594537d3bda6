/** fish is not installed on the test machine: the script's content, line by line (test/integration/completion.test.ts runs `fish --no-execute` where it is). */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../../src/cli.js';
import { formatFishCompletion, fishQuote } from '../../../src/completion/fish.js';
import { createCompletionSpec } from '../../../src/completion/spec.js';

const lines = formatFishCompletion(createCompletionSpec(createProgram('1.0.0'))).split('\n');
const main = "complete -c 'live-transcribe' -n 'not __fish_seen_subcommand_from doctor config completion help'";

describe('formatFishCompletion', () => {
  it.each([
    "complete -c 'live-transcribe' -f",
    "complete -c 'live-transcribe' -n '__fish_use_subcommand' -a 'doctor' -d 'check SoX, the microphone, the key and the network'",
    "complete -c 'live-transcribe' -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'",
    "complete -c 'live-transcribe' -n '__fish_seen_subcommand_from config' -l path -d 'print the config file\\'s path'",
    "complete -c 'live-transcribe' -n '__fish_seen_subcommand_from doctor' -l device -x -a '(__live_transcribe_list devices)' -d 'the recording device to test (default: the system default)'",
    `${main} -l format -x -a 'text json srt vtt' -d 'stdout format (one of: text, json, srt, vtt; default: text)'`,
    `${main} -s o -l output -r -F -d 'also write the transcript to a file (.txt .jsonl .srt .vtt; {date} {time} give a new file each run)'`,
    `${main} -l save-audio -r -F -d 'keep exactly the audio sent, as a WAV file (with --force: replace it; {date} {time} as for --output)'`,
    `${main} -l device -x -a '(__live_transcribe_list devices)' -d 'recording device (repeat for a meeting: NAME=Label)'`,
    `${main} -l token -x -d 'a temporary streaming token instead of a key'`,
    `${main} -l force -d 'replace an existing --output file'`,
    `${main} -s h -l help -d 'show this help (--help all: every option)'`,
    "        timeout 2 'live-transcribe' completion --list $argv[1] 2>/dev/null",
  ])('has %s', (line) => {
    expect(lines).toContain(line);
  });

  it('quotes what the flags say', () => {
    const p = new Command('lt').option('--x <v>', "it's a\\b");
    expect(formatFishCompletion(createCompletionSpec(p))).toContain(`-l x -x -d 'it\\'s a\\\\b'`);
    expect(fishQuote("a'b\\")).toBe("'a\\'b\\\\'");
  });
});
