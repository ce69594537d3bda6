/**
 * What `--list-models` prints (pure): an aligned table of the known models and what each can do, then the long
 * language lists, aliases and notes; or, with `--format json`, one JSON document.
 */
import { CLIENT_DEFAULT_MODEL, SERVICE_DEFAULT_MODEL, type ModelInfo } from '../streaming/models.js';

/** A chalk-like theme (a ChalkInstance fits; level 0 means no colour). */
export interface ModelListTheme {
  bold(text: string): string;
  dim(text: string): string;
}

/** Lists longer than this are shown as a count in the table and in full below it. */
const SHORT_LIST = 6;

function languagesCell(m: ModelInfo): string {
  if (m.languages === 'many') return '99+, detected';
  if (m.languages === 'unknown') return '?';
  return m.languages.length <= SHORT_LIST ? m.languages.join(' ') : `${m.languages.length} languages`;
}

const FORMATTING = { format_turns: 'with --format-turns', always: 'always', unknown: '?' } as const;
const DETECTION = { yes: 'yes', no: 'no', automatic: 'automatic', unknown: '?' } as const;

function statusCell(m: ModelInfo): string {
  if (m.name === CLIENT_DEFAULT_MODEL) return `${m.status}, default`;
  if (m.name === SERVICE_DEFAULT_MODEL) return `${m.status}, service default`;
  return m.status;
}

const HEADER = ['model', 'languages', 'formatting', 'detection', 'speakers', 'status'] as const;

/** The table (columns aligned on the plain text, then styled), then languages in full, aliases and notes. */
export function formatModelList(catalogue: readonly ModelInfo[], theme: ModelListTheme): string {
  const rows = catalogue.map((m) => [m.name, languagesCell(m), FORMATTING[m.formatting], DETECTION[m.languageDetection], m.speakers ? 'yes' : 'no', statusCell(m)]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  const table = [
    theme.bold(line(HEADER)),
    ...rows.map((r, i) => (catalogue[i]?.status === 'current' ? line(r) : theme.dim(line(r)))),
  ];
  const long = catalogue.flatMap((m) => (Array.isArray(m.languages) && m.languages.length > SHORT_LIST ? [`${m.name}: ${[...m.languages].sort().join(' ')}`] : []));
  const aliases = catalogue.flatMap((m) => m.aliases.map((a) => `${a} -> ${m.name} (deprecated name)`));
  const notes = catalogue.flatMap((m) => (m.note === undefined ? [] : [`${m.name}: ${m.note}`]));
  const section = (title: string, lines: string[]): string[] => (lines.length === 0 ? [] : ['', theme.bold(title), ...lines.map((l) => `  ${l}`)]);
  return [
    ...table,
    ...section('languages', long),
    ...section('aliases', aliases),
    ...section('notes', notes),
    '',
    `Without --speech-model: ${CLIENT_DEFAULT_MODEL} for English; --language CODE[,CODE...] or --language auto picks a model for other languages.`,
    'Any other name is sent as given: the service checks it.',
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
