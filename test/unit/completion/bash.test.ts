/** The bash script's pieces; what bash does with the script is tested in bash (test/integration/completion.test.ts). */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../../src/cli.js';
import { bashQuote, completionFunctionName, formatBashCompletion } from '../../../src/completion/bash.js';
import { createCompletionSpec } from '../../../src/completion/spec.js';

describe('formatBashCompletion', () => {
  const script = formatBashCompletion(createCompletionSpec(createProgram('1.0.0')));

  it('registers with plain complete -F and uses no bash-completion helper', () => {
    expect(script.trimEnd().split('\n').pop()).toBe("complete -F _live_transcribe 'live-transcribe'");
    expect(script).not.toMatch(/_init_completion|_get_comp_words_by_ref|__ltrim_colon_completions|_filedir/);
  });

  it('bounds the listing with timeout where it exists', () => {
    expect(script).toContain('timeout 2 \'live-transcribe\' completion --list "$1" 2>/dev/null');
  });

  it('has one case arm per flag that takes a value', () => {
    expect(script).toContain(
      `    -o|--output) compopt -o filenames 2>/dev/null; _live_transcribe_add "$2" "$3" '' < <(compgen -f -- "\${3//\\\\/}") ;;`,
    );
    expect(script).toContain(`    --format) _live_transcribe_add "$2" "$3" quote < <(printf '%s\\n' 'text' 'json' 'srt' 'vtt') ;;`);
    expect(script).toContain(`    --device) _live_transcribe_add "$2" "$3" quote < <(_live_transcribe_list devices) ;;`);
    expect(script).toContain('    -k|--api-key) : ;;');
    expect(script).not.toContain('--force)');
  });

  it('quotes values and names functions after the command', () => {
    const p = new Command('my.tool').option('--encoding <e>', 'e');
    expect(formatBashCompletion(createCompletionSpec(p))).toContain("complete -F _my_tool 'my.tool'");
    expect(bashQuote("it's")).toBe(`'it'\\''s'`);
    expect(completionFunctionName('live-transcribe')).toBe('_live_transcribe');
  });
});
