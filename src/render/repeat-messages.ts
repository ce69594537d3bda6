/**
 * The refusal of a flag that takes one value but was given twice (issue 24.8): commander would keep the last
 * one without a word. Pure.
 */

export function formatGivenTwice(flag: string, first: string, second: string): string {
  const why =
    flag === '--format'
      ? `standard output has one format; to also get ${second}, add -o FILE with its extension (e.g. -o transcript.${second === 'json' ? 'jsonl' : second})`
      : 'one run writes one --output file (its format from its extension); standard output can carry a second format with --format';
  return `${flag} was given twice (${first}, then ${second}): give it once\n  ${why}`;
}
