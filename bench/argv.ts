/** The value after `flag` on a bench's command line (`--minutes 10`), or `fallback` when the flag is not there. */
export function flagValue(argv: readonly string[], flag: string, fallback: string): string {
  const i = argv.indexOf(flag);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
}
