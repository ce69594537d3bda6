/**
 * The one description of the long options: the config file's keys, their types and the RawOptions field each
 * fills, the options that are refused in the file (and why), enumerated values and file-taking options (for
 * shell completion). Pure data plus lookups.
 */
import { SPEECH_MODELS, type RawOptions } from '../config.js';
import {
  DEFAULT_CONNECT_TIMEOUT_S,
  DEFAULT_HOST,
  DEFAULT_RECONNECT_ATTEMPTS,
  DEFAULT_SAMPLE_RATE_HZ,
  DEFAULT_SPEECH_MODEL,
} from '../defaults.js';
import { ENCODINGS, OUTPUT_FORMATS } from '../types.js';

/** 'phrases': a list of strings kept apart (commas included), like a repeated flag. */
export type OptionType = 'string' | 'boolean' | 'list' | 'number' | 'phrases';

export interface OptionKey {
  /** The long flag without `--`, which is also the key in config.toml. */
  key: string;
  type: OptionType;
  /** The RawOptions field the key fills; undefined for options that are not settings (help, config...). */
  field: keyof RawOptions | undefined;
  description: string;
  /** Set when the key is refused in the file: why, and what to do instead. */
  notInFile?: string;
  /** The value shown in the starter file (commented out). */
  example?: string | number | boolean | readonly string[];
  /** The built-in default, as `config` shows it. */
  defaultText?: string;
  /** number keys: a string with a unit is accepted too, described here. */
  units?: string;
  /** The values the option accepts, when it is an enumeration. */
  values?: readonly string[];
  /** The option takes a file name. */
  takesFile?: boolean;
  /** The value is a secret: never printed whole. */
  secret?: boolean;
}

const DURATION_UNITS = 'seconds, or a string with a unit ("90s", "2m", "1h")';

export const OPTION_KEYS: readonly OptionKey[] = [
  { key: 'api-key', type: 'string', field: 'apiKey', secret: true, description: 'AssemblyAI API key (only in a file no one else can read: chmod 600)', example: 'your key' },
  { key: 'token', type: 'string', field: 'token', secret: true, description: 'a temporary streaming token instead of a key', notInFile: 'a temporary token expires within minutes: pass --token, or store api-key' },
  { key: 'sample-rate', type: 'number', field: 'sampleRate', description: 'sample rate captured and declared, in Hz', example: DEFAULT_SAMPLE_RATE_HZ, defaultText: String(DEFAULT_SAMPLE_RATE_HZ) },
  { key: 'format-turns', type: 'boolean', field: 'formatTurns', description: 'formatted final turns: punctuation and casing (false: raw lowercase turns)', example: true, defaultText: 'true' },
  { key: 'speech-model', type: 'string', field: 'speechModel', description: 'speech model (any name; these are the ones the client knows)', example: DEFAULT_SPEECH_MODEL, defaultText: DEFAULT_SPEECH_MODEL, values: SPEECH_MODELS },
  { key: 'api-host', type: 'string', field: 'apiHost', description: 'streaming host, or a full wss:// URL', example: DEFAULT_HOST, defaultText: DEFAULT_HOST },
  { key: 'device', type: 'string', field: 'device', description: 'recording device, passed to SoX (names: live-transcribe --list-devices)', example: 'default' },
  { key: 'system-audio', type: 'boolean', field: 'systemAudio', description: 'also transcribe what this computer plays, labelled Others', example: false },
  { key: 'system-device', type: 'string', field: 'systemDevice', description: 'record the system audio from this device (a monitor or loopback)', example: 'alsa_output.pci.analog-stereo.monitor' },
  { key: 'input', type: 'string', field: 'input', description: 'transcribe a file (or - for standard input) instead of the microphone', example: 'interview.wav', takesFile: true },
  { key: 'encoding', type: 'string', field: 'encoding', description: 'raw input encoding', example: 'pcm_s16le', defaultText: 'pcm_s16le', values: ENCODINGS },
  { key: 'format', type: 'string', field: 'format', description: 'stdout format', example: 'text', defaultText: 'text', values: OUTPUT_FORMATS },
  { key: 'output', type: 'string', field: 'output', description: 'also write the transcript to this file (format from .txt .jsonl .srt .vtt)', example: 'notes.txt', takesFile: true },
  { key: 'append', type: 'boolean', field: 'append', description: 'add to an existing output file', example: true, defaultText: 'false' },
  { key: 'force', type: 'boolean', field: 'force', description: 'replace an existing output file', notInFile: 'replacing a file is asked for each time: pass --force' },
  { key: 'timestamps', type: 'boolean', field: 'timestamps', description: 'prefix text lines with [hh:mm:ss.mmm -> hh:mm:ss.mmm]', example: true, defaultText: 'false' },
  { key: 'partials', type: 'boolean', field: 'partials', description: 'include partial turns in json output', example: true, defaultText: 'false' },
  { key: 'max-duration', type: 'number', field: 'maxDuration', units: DURATION_UNITS, description: 'stop after this much audio', example: '10m' },
  { key: 'once', type: 'boolean', field: 'once', description: 'stop after the first final turn', example: true, defaultText: 'false' },
  { key: 'until-silence', type: 'number', field: 'untilSilence', units: DURATION_UNITS, description: 'stop after this much silence once speech was heard', example: 5 },
  { key: 'save-audio', type: 'string', field: 'saveAudio', description: 'keep exactly the audio sent, as a WAV file', example: 'session.wav', takesFile: true },
  { key: 'keyterms', type: 'list', field: 'keyterms', description: 'words and phrases to recognise better (at most 100)', example: ['AssemblyAI', 'Kubernetes'] },
  { key: 'end-of-turn-confidence-threshold', type: 'number', field: 'endOfTurnConfidenceThreshold', description: 'confidence needed to end a turn at a short pause (0 to 1)', example: 0.4 },
  { key: 'min-turn-silence', type: 'number', field: 'minTurnSilence', description: 'silence that ends a turn when confident, in milliseconds', example: 400 },
  { key: 'max-turn-silence', type: 'number', field: 'maxTurnSilence', description: 'silence that always ends a turn, in milliseconds', example: 1280 },
  { key: 'inactivity-timeout', type: 'number', field: 'inactivityTimeout', description: 'let the service end the session when no audio arrives for this long, in seconds (5-3600); silence counts as audio', example: 300 },
  { key: 'connect-timeout', type: 'number', field: 'connectTimeout', description: 'give up if the session has not started after this long, in seconds', example: DEFAULT_CONNECT_TIMEOUT_S, defaultText: String(DEFAULT_CONNECT_TIMEOUT_S) },
  { key: 'reconnect-attempts', type: 'number', field: 'reconnectAttempts', description: 'new sessions tried when the connection drops (0: never)', example: DEFAULT_RECONNECT_ATTEMPTS, defaultText: String(DEFAULT_RECONNECT_ATTEMPTS) },
  { key: 'stop-phrase', type: 'phrases', field: 'stopPhrase', description: 'stop when a final turn ends with one of these phrases (written without it)', example: ['stop recording'] },
  { key: 'quiet', type: 'boolean', field: 'quiet', description: 'no status lines on stderr (errors are still shown)', example: true, defaultText: 'false' },
  { key: 'color', type: 'boolean', field: 'color', description: 'false: no colours (like --no-color or NO_COLOR=1)', example: false, defaultText: 'auto' },
  // Today's service (issue 12).
  { key: 'language', type: 'string', field: 'language', description: 'what is spoken: a code such as de, several such as en,es, or auto', example: 'de' },
  { key: 'speaker-labels', type: 'boolean', field: 'speakerLabels', description: 'label each final turn with its speaker', example: true, defaultText: 'false' },
  { key: 'max-speakers', type: 'number', field: 'maxSpeakers', description: 'at most this many speakers, 1-10 (with speaker-labels)', example: 2 },
  { key: 'prompt', type: 'string', field: 'prompt', description: 'describe the audio to the model (Universal-3 models)', example: 'a meeting about the budget' },
  { key: 'mode', type: 'string', field: 'mode', description: 'turn detection of the Universal-3 models', example: 'balanced', values: ['min_latency', 'balanced', 'max_accuracy'] },
  { key: 'vad-threshold', type: 'number', field: 'vadThreshold', description: 'how sure the model must be that a sound is speech (0 to 1)', example: 0.4 },
  { key: 'voice-focus', type: 'string', field: 'voiceFocus', description: 'near-field (a headset) or far-field (a room)', example: 'near-field', values: ['near-field', 'far-field'] },
  { key: 'redact-pii', type: 'string', field: 'redactPii', description: 'replace personal data of these kinds (comma-separated)', example: 'person_name,phone_number' },
  { key: 'redact-pii-sub', type: 'string', field: 'redactPiiSub', description: 'what replaces personal data', example: 'hash', values: ['hash', 'entity_name'] },
  { key: 'filter-profanity', type: 'boolean', field: 'filterProfanity', description: 'mask profanity in the transcript', example: true, defaultText: 'false' },
  { key: 'keyterms-file', type: 'string', field: 'keytermsFile', description: 'words and phrases to recognise better, one a line', example: 'terms.txt', takesFile: true },
  { key: 'token-command', type: 'string', field: 'tokenCommand', description: 'a command that prints a temporary token, run before each session', example: './mint-token.sh' },
  // --- Issue 22 (recovery / batch): the pre-recorded API ---
  { key: 'batch', type: 'boolean', field: 'batch', description: 'transcribe the -i file through the pre-recorded API (upload, then the whole transcript), not in real time', notInFile: 'streaming or uploading is chosen per file: pass --batch' },
  { key: 'replay-limit', type: 'number', field: 'replayLimit', description: 'audio replayed into a new session after a drop, in seconds (older missed audio goes to the spool)', example: 120, defaultText: '120' },
  { key: 'spool-limit', type: 'number', field: 'spoolLimit', units: DURATION_UNITS, description: 'at most this much missed audio kept on disk per source', example: '4h', defaultText: '4h' },
  { key: 'keep-recording', type: 'boolean', field: 'keepRecording', description: 'record even when the service cannot be reached; retry without a limit, recover the audio once connected', example: true, defaultText: 'false' },
  // --- end of issue 22 ---
  { key: 'list-models', type: 'boolean', field: undefined, description: 'list the speech models the client knows, and exit', notInFile: 'an action, not a setting: run live-transcribe --list-models' },
  { key: 'list-devices', type: 'boolean', field: undefined, description: 'list the recording devices --device accepts, and exit', notInFile: 'an action, not a setting: run live-transcribe --list-devices' },
  { key: 'config', type: 'string', field: undefined, description: 'read settings from this file instead', takesFile: true, notInFile: 'a config file cannot name another one: use --config or LIVE_TRANSCRIBE_CONFIG' },
  { key: 'profile', type: 'string', field: undefined, description: 'use this [profiles.NAME] table of the config file', notInFile: 'choose a profile with default-profile = "NAME", --profile or LIVE_TRANSCRIBE_PROFILE' },
  { key: 'help', type: 'boolean', field: undefined, description: 'show the help', notInFile: 'a command-line switch, not a setting' },
  { key: 'version', type: 'boolean', field: undefined, description: 'print the version', notInFile: 'a command-line switch, not a setting' },
];

/** Negated flags people may write as keys, and the key to write instead. */
const NEGATED_KEYS: Readonly<Record<string, string>> = { 'no-color': 'color = false', 'no-format-turns': 'format-turns = false' };

/** The keys with a meaning in the file only: at the top level, never in a profile. */
export const TOP_LEVEL_ONLY_KEYS = ['default-profile', 'profiles'] as const;

/** The keys a config file may set (in the top level or a profile). */
export const FILE_KEYS: readonly OptionKey[] = OPTION_KEYS.filter((o) => o.notInFile === undefined && o.field !== undefined);

export function fileKey(key: string): OptionKey | undefined {
  return FILE_KEYS.find((o) => o.key === key);
}

export function optionForField(field: keyof RawOptions): OptionKey | undefined {
  return OPTION_KEYS.find((o) => o.field === field);
}

/** Why a known option or a negated flag cannot be a key in the file, or undefined. */
export function refusalReason(key: string): string | undefined {
  const negated = NEGATED_KEYS[key];
  if (negated !== undefined) return `write ${negated}`;
  return OPTION_KEYS.find((o) => o.key === key)?.notInFile;
}

/** The candidate nearest to `word` by edit distance, when it is near enough to be a likely typo. */
export function nearestKey(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Levenshtein distance, one row at a time. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
