/** A value as TOML source: strings and lists of strings quoted (JSON's escapes are TOML's). Pure. */
export function formatTomlValue(value: string | number | boolean | readonly string[]): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
}
