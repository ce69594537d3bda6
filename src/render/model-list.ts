/**
 * What `--list-models` prints (pure): the models a user can pick, their languages and what each is for (no
 * research notes, no unknowns: issue 24.6); or, with `--format json`, one JSON document of every model known.
 */
import { CLIENT_DEFAULT_MODEL, SERVICE_DEFAULT_MODEL, type ModelInfo } from '../streaming/models.js';

/** A chalk-like theme (a ChalkInstance fits; level 0 means no colour). */
export interface ModelListTheme {
  bold(text: string): string;
  dim(text: string): string;
}

/** Lists longer than this are shown as a count in the table and in full below it. */
const SHORT_LIST = 6;

/** What each model a user can pick is for, in a user's words (issue 24.6). */
const PURPOSE: Readonly<Record<string, string>> = {
  'universal-streaming-english': 'English: the fastest and cheapest (the default for English)',
  'universal-streaming-multilingual': 'conversations in these six languages, switching between them',
  'universal-3-6-pro': 'the most accurate, for these 32 languages and a mix of them',
  'universal-3-5-pro': 'the previous Universal-3 Pro model',
};

function languagesCell(m: ModelInfo): string {
  if (m.languages === 'many') return 'detected';
  if (m.languages === 'unknown') return m.name === 'universal-3-5-pro' ? '19 languages' : '';
  if (m.languages.length === 1 && m.languages[0] === 'en') return 'English';
  return m.languages.length <= SHORT_LIST ? m.languages.join(' ') : `${m.languages.length} languages (below)`;
}

/** The models a user can pick: the current ones, not the legacy, preview or undocumented names. */
function pickableModels(catalogue: readonly ModelInfo[]): ModelInfo[] {
  return catalogue.filter((m) => m.status === 'current');
}

const HEADER = ['model', 'languages', 'for'] as const;

/** The models a user can pick, their languages and what each is for; older names that still work after them. */
export function formatModelList(catalogue: readonly ModelInfo[], theme: ModelListTheme): string {
  const models = pickableModels(catalogue);
  const rows = models.map((m) => [m.name, languagesCell(m), PURPOSE[m.name] ?? m.note ?? '']);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  const long = models.flatMap((m) =>
    Array.isArray(m.languages) && m.languages.length > SHORT_LIST ? [`${m.name}: ${[...m.languages].sort().join(' ')}`] : [],
  );
  const legacy = catalogue.filter((m) => m.status === 'legacy').map((m) => m.name);
  const aliases = catalogue.flatMap((m) => m.aliases.map((a) => `${a} (now ${m.name})`));
  const older = [...legacy, ...aliases];
  return [
    theme.bold(line(HEADER)),
    ...rows.map((r) => line(r)),
    ...(long.length === 0 ? [] : ['', theme.bold('languages'), ...long.map((l) => `  ${l}`)]),
    '',
    `Without --speech-model: ${CLIENT_DEFAULT_MODEL} for English; --language CODE[,CODE...] or --language auto picks a model for other languages.`,
    ...(older.length === 0 ? [] : [theme.dim(`Older names still accepted: ${older.join(', ')}.`)]),
    '',
  ].join('\n');
}

/** `--list-models --format json`: one JSON document, snake_case like the NDJSON events. */
export function formatModelListJson(catalogue: readonly ModelInfo[]): string {
  const models = catalogue.map((m) => ({
    name: m.name,
    languages: m.languages === 'unknown' ? null : m.languages,
    formatting: m.formatting === 'unknown' ? null : m.formatting,
    language_detection: m.languageDetection === 'unknown' ? null : m.languageDetection,
    speakers: m.speakers,
    turn_detection: m.turnDetection === 'unknown' ? null : m.turnDetection,
    status: m.status,
    aliases: m.aliases,
    note: m.note ?? null,
  }));
  return `${JSON.stringify({ v: 1, default_model: CLIENT_DEFAULT_MODEL, service_default_model: SERVICE_DEFAULT_MODEL, models }, null, 2)}\n`;
}
