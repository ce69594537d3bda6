/**
 * THE table of options: every flag of every command, declared once. From it come the commander programs
 * (cli.ts via options/program.ts), the grouped help and dist/help.json, the config file's keys and their
 * errors (options/schema.ts), the environment variables (options/layers.ts), the settings' type RawOptions
 * (options/raw-options.ts, from the literal types of the entries), the shell completion scripts
 * (completion/spec.ts), "did you mean" and `live-transcribe config`. Values are checked by ONE function per
 * kind of value (options/values.ts), whether they came from a flag, the environment or the config file.
 *
 * Adding an option: one entry here, and the code that uses its value (ARCHITECTURE.md, "Adding an option").
 */
import {
  DEFAULT_CONNECT_TIMEOUT_S,
  DEFAULT_HOST,
  DEFAULT_RECONNECT_ATTEMPTS,
  DEFAULT_SAMPLE_RATE_HZ,
  DEFAULT_SPEECH_MODEL,
  DEFAULT_START_ATTEMPTS,
} from '../core/defaults.js';
import { MAX_SPEAKERS_RANGE, MODEL_CATALOGUE, MODES, REDACT_PII_SUBS, VOICE_FOCUS } from '../streaming/models.js';
import { ENCODINGS, OUTPUT_FORMATS } from '../core/types.js';
import { DEFAULT_LLM_MODEL } from '../notes/models.js';
import { BACKEND_NAMES } from '../dictation/backends.js';

/** The commands that take options from this table. */
export type CommandName = 'run' | 'doctor' | 'config' | 'dictate' | 'notes' | 'login' | 'logout';

/**
 * The help groups, in the order --help shows them: what a first run needs first, model tuning last.
 * The plain --help shows only the `essential` options, in this same order, in one list.
 */
export const GROUPS = {
  key: 'Key:',
  input: 'Input and device:',
  output: 'Output and format:',
  stop: 'Stop:',
  extras: 'Captions and notes:',
  dictate: 'Dictation (live-transcribe dictate):',
  model: 'Language and model:',
  settings: 'Config file:',
  connection: 'Connection:',
  tuning: 'Model tuning (rarely needed):',
  program: 'This program:',
} as const;
export type GroupId = keyof typeof GROUPS;

/** The kind of a value, which decides its parser (options/values.ts), its TOML type and its completion. */
export type ValueSpec =
  /** A switch: true when given (`--once`), false with its `--no-` form. */
  | { kind: 'switch' }
  /** Free text. `suggest`: names completion offers, any other is accepted too (--speech-model). */
  | { kind: 'text'; arg: string; suggest?: readonly string[] }
  /** One of a closed list. */
  | { kind: 'choice'; arg: string; values: readonly string[] }
  /** A whole number in [min, max], in `unit`. */
  | { kind: 'integer'; arg: string; min: number; max: number; unit: string }
  /** A number from 0 to 1. */
  | { kind: 'fraction'; arg: string }
  /** Seconds, or a number with a unit: 90, 1.5, 90s, 2m, 1h. */
  | { kind: 'duration'; arg: string }
  /** A file name (completion offers files). */
  | { kind: 'file'; arg: string }
  /** Comma-separated words; in the config file a list of strings too. */
  | { kind: 'list'; arg: string }
  /** A repeatable phrase, commas included; in the config file a list of strings or one string. */
  | { kind: 'phrases'; arg: string }
  /** A switch that may take a value (`--notes`, `--notes "PROMPT"`; arg in brackets); in the config file true or a string. */
  | { kind: 'optional'; arg: string };

export type ValueKind = ValueSpec['kind'];

/**
 * One option. `Field` is the type of its settings field: `SettingField` (the table's own fields) for the entries
 * of OPTIONS, any string while the table itself is checked (its fields are what SettingField is made of).
 */
export interface OptionSpec<Field extends string = SettingField> {
  /** The long flag without `--`; also the key in config.toml. */
  name: string;
  /**
   * The settings field it fills (the key in RawOptions, options/raw-options.ts, whose type follows from `value`
   * and `repeat`); undefined for what is not a setting (help, version).
   */
  field: Field | undefined;
  /** One letter: `-k`. */
  short?: string;
  value: ValueSpec;
  /** Switches: 'only' declares just `--no-NAME` (--no-color), 'also' both forms (--format-turns). */
  negate?: 'only' | 'also';
  /** May be given more than once; every value kept, in order. */
  repeat?: true;
  /** Given twice on the command line is a usage error (one value that a second would silently replace). */
  once?: true;
  /** The help line (without the default, the values and the variable: those are added from the fields below). */
  help: string;
  /** The help line of the `--no-NAME` form (negate: 'also'). */
  negatedHelp?: string;
  /** Another help line for another command (doctor's words). */
  helpFor?: Partial<Record<CommandName, string>>;
  group: GroupId;
  /** Shown by the plain --help (the first screen). */
  essential?: true;
  commands: readonly CommandName[];
  /** The built-in default, as help and `config` show it. */
  default?: string;
  /** The environment variable that sets it. */
  env?: string;
  /** true: a key of the config file; a string: why the file refuses it, and what to do instead. */
  file: true | string;
  /** The value the starter file shows (commented out). */
  example?: string | number | boolean | readonly string[];
  /** A secret: never shown whole. */
  secret?: true;
  /** Values completion asks the binary for at completion time (they change). */
  complete?: 'profiles' | 'devices';
}

const ACTION = (flag: string): string => `an action, not a setting: run live-transcribe --${flag}`;
const MODELS = MODEL_CATALOGUE.map((m) => m.name);

/** The entries, with their literal types kept: RawOptions (options/raw-options.ts) is derived from them. */
const TABLE = [
  // Key
  {
    name: 'api-key',
    field: 'apiKey',
    short: 'k',
    value: { kind: 'text', arg: '<key>' },
    group: 'key',
    essential: true,
    commands: ['run', 'doctor', 'notes'],
    help: 'AssemblyAI API key (better in the variable: flags show in `ps`)',
    helpFor: { doctor: 'check this key instead of the variable (never printed)' },
    env: 'ASSEMBLYAI_API_KEY',
    file: true,
    secret: true,
    example: 'your key',
  },
  {
    name: 'token',
    field: 'token',
    value: { kind: 'text', arg: '<token>' },
    group: 'key',
    commands: ['run', 'doctor'],
    secret: true,
    help: 'a temporary streaming token instead of a key',
    helpFor: { doctor: 'check a temporary token instead' },
    file: 'a temporary token expires within minutes: pass --token, or store api-key',
  },
  {
    name: 'token-command',
    field: 'tokenCommand',
    value: { kind: 'text', arg: '<cmd>' },
    group: 'key',
    commands: ['run', 'doctor'],
    helpFor: { doctor: 'the command a run would use for its tokens (named, not run: it may mint a billed token)' },
    help: 'run this before each session (start, reconnect, rollover) and use the temporary token it prints',
    file: true,
    example: './mint-token.sh',
  },
  // Input and device
  {
    name: 'input',
    field: 'input',
    short: 'i',
    value: { kind: 'file', arg: '<file|->' },
    group: 'input',
    essential: true,
    commands: ['run'],
    help: 'transcribe a file (WAV, or any format SoX reads) or standard input (-)',
    file: true,
    example: 'interview.wav',
  },
  {
    name: 'device',
    field: 'device',
    value: { kind: 'text', arg: '<name>' },
    repeat: true,
    complete: 'devices',
    group: 'input',
    essential: true,
    commands: ['run', 'doctor'],
    help: 'recording device (repeat for a meeting: NAME=Label)',
    helpFor: { doctor: 'the recording device to test (default: the system default)' },
    file: true,
    example: 'default',
  },
  {
    name: 'list-devices',
    field: 'listDevices',
    value: { kind: 'switch' },
    group: 'input',
    essential: true,
    commands: ['run'],
    help: 'list the devices --device accepts, and exit (--format json: JSON)',
    file: ACTION('list-devices'),
  },
  {
    name: 'system-audio',
    field: 'systemAudio',
    value: { kind: 'switch' },
    group: 'input',
    commands: ['run'],
    help: 'also transcribe what this computer plays (a call), labelled Others',
    file: true,
    example: false,
  },
  {
    name: 'system-device',
    field: 'systemDevice',
    value: { kind: 'text', arg: '<name>' },
    complete: 'devices',
    group: 'input',
    commands: ['run'],
    help: 'record the system audio from this device (a monitor or loopback); implies --system-audio',
    file: true,
    example: 'alsa_output.pci.analog-stereo.monitor',
  },
  {
    name: 'sample-rate',
    field: 'sampleRate',
    short: 'r',
    value: { kind: 'integer', arg: '<hz>', min: 8000, max: 96_000, unit: 'Hz (e.g. 16000)' },
    group: 'input',
    commands: ['run', 'doctor'],
    help: 'sample rate captured and declared, 8000-96000',
    helpFor: { doctor: 'sample rate to record at' },
    default: String(DEFAULT_SAMPLE_RATE_HZ),
    file: true,
    example: DEFAULT_SAMPLE_RATE_HZ,
  },
  {
    name: 'encoding',
    field: 'encoding',
    value: { kind: 'choice', arg: '<enc>', values: ENCODINGS },
    group: 'input',
    commands: ['run'],
    help: 'raw input encoding',
    default: 'pcm_s16le',
    file: true,
    example: 'pcm_s16le',
  },
  // Output and format
  {
    name: 'output',
    field: 'output',
    short: 'o',
    value: { kind: 'file', arg: '<file>' },
    group: 'output',
    essential: true,
    once: true,
    commands: ['run'],
    help: 'also write the transcript to a file (.txt .jsonl .srt .vtt; {date} {time} give a new file each run)',
    file: true,
    example: 'notes-{date}-{time}.txt',
  },
  {
    name: 'format',
    field: 'format',
    value: { kind: 'choice', arg: '<fmt>', values: OUTPUT_FORMATS },
    group: 'output',
    essential: true,
    once: true,
    commands: ['run'],
    help: 'stdout format',
    default: 'text',
    file: true,
    example: 'text',
  },
  {
    name: 'append',
    field: 'append',
    value: { kind: 'switch' },
    group: 'output',
    commands: ['run'],
    help: 'add to an existing --output file',
    file: true,
    example: true,
  },
  {
    name: 'force',
    field: 'force',
    value: { kind: 'switch' },
    group: 'output',
    commands: ['run', 'notes'],
    help: 'replace an existing --output file',
    helpFor: { notes: 'replace an existing notes file' },
    file: 'replacing a file is asked for each time: pass --force',
  },
  {
    name: 'timestamps',
    field: 'timestamps',
    value: { kind: 'switch' },
    group: 'output',
    commands: ['run'],
    help: 'prefix text lines with [hh:mm:ss.mmm -> hh:mm:ss.mmm]',
    file: true,
    example: true,
  },
  {
    name: 'partials',
    field: 'partials',
    value: { kind: 'switch' },
    group: 'output',
    commands: ['run'],
    help: 'include partial turns in json output',
    file: true,
    example: true,
  },
  {
    name: 'save-audio',
    field: 'saveAudio',
    value: { kind: 'file', arg: '<file.wav>' },
    group: 'output',
    commands: ['run'],
    help: 'keep exactly the audio sent, as a WAV file (with --force: replace it; {date} {time} as for --output)',
    file: true,
    example: 'session-{date}-{time}.wav',
  },
  {
    name: 'quiet',
    field: 'quiet',
    short: 'q',
    value: { kind: 'switch' },
    group: 'output',
    essential: true,
    commands: ['run', 'notes'],
    helpFor: { notes: 'no progress lines' },
    help: 'no status lines on stderr (errors are still shown)',
    file: true,
    example: true,
  },
  {
    name: 'color',
    field: 'color',
    value: { kind: 'switch' },
    negate: 'only',
    group: 'output',
    commands: ['run', 'doctor', 'notes'],
    help: 'no colours',
    env: 'NO_COLOR',
    default: 'auto',
    file: true,
    example: false,
  },
  // Stop
  {
    name: 'max-duration',
    field: 'maxDuration',
    value: { kind: 'duration', arg: '<s>' },
    group: 'stop',
    essential: true,
    commands: ['run'],
    help: 'stop after this much audio (seconds, or 90s, 10m, 1h)',
    file: true,
    example: '10m',
  },
  {
    name: 'until-silence',
    field: 'untilSilence',
    value: { kind: 'duration', arg: '<s>' },
    group: 'stop',
    essential: true,
    commands: ['run'],
    help: 'stop after this much silence once speech was heard',
    file: true,
    example: 5,
  },
  {
    name: 'once',
    field: 'once',
    value: { kind: 'switch' },
    group: 'stop',
    essential: true,
    commands: ['run'],
    help: 'stop after the first final turn',
    file: true,
    example: true,
  },
  {
    name: 'stop-phrase',
    field: 'stopPhrase',
    value: { kind: 'phrases', arg: '<words>' },
    repeat: true,
    group: 'stop',
    commands: ['run'],
    help: 'stop when a final turn ends with these words, written without them (repeatable)',
    file: true,
    example: ['stop recording'],
  },
  // Language and model
  {
    name: 'language',
    field: 'language',
    value: { kind: 'text', arg: '<code,...|auto>' },
    group: 'model',
    commands: ['run'],
    help: 'what is spoken: de, en,es (up to 10) or auto; the client picks a model that supports it',
    default: 'en',
    file: true,
    example: 'de',
  },
  {
    name: 'speech-model',
    field: 'speechModel',
    value: { kind: 'text', arg: '<name>', suggest: MODELS },
    group: 'model',
    commands: ['run'],
    help: 'speech model, any name the service knows (or what --language needs; see --list-models)',
    default: DEFAULT_SPEECH_MODEL,
    file: true,
    example: DEFAULT_SPEECH_MODEL,
  },
  {
    name: 'list-models',
    field: 'listModels',
    value: { kind: 'switch' },
    group: 'model',
    commands: ['run'],
    help: 'list the speech models this client knows, their languages and features, and exit (--format json for JSON)',
    file: ACTION('list-models'),
  },
  {
    name: 'keyterms',
    field: 'keyterms',
    value: { kind: 'list', arg: '<a,b,...>' },
    group: 'model',
    commands: ['run'],
    help: 'comma-separated words and phrases to recognise better (at most 100)',
    file: true,
    example: ['AssemblyAI', 'Kubernetes'],
  },
  {
    name: 'keyterms-file',
    field: 'keytermsFile',
    value: { kind: 'file', arg: '<file>' },
    group: 'model',
    commands: ['run'],
    help: 'words and phrases to recognise better, one a line (with --keyterms: at most 100 together)',
    file: true,
    example: 'terms.txt',
  },
  {
    name: 'speaker-labels',
    field: 'speakerLabels',
    value: { kind: 'switch' },
    group: 'model',
    commands: ['run'],
    help: 'label each final turn with its speaker: A: ..., B: ... (JSON: speaker; VTT: <v Speaker A>)',
    file: true,
    example: true,
  },
  {
    name: 'max-speakers',
    field: 'maxSpeakers',
    value: { kind: 'integer', arg: '<n>', min: MAX_SPEAKERS_RANGE.min, max: MAX_SPEAKERS_RANGE.max, unit: 'speakers' },
    group: 'model',
    commands: ['run'],
    help: 'at most this many speakers, 1-10 (with --speaker-labels)',
    file: true,
    example: 2,
  },
  {
    name: 'format-turns',
    field: 'formatTurns',
    value: { kind: 'switch' },
    negate: 'also',
    group: 'model',
    commands: ['run'],
    default: 'true',
    file: true,
    example: true,
    help: 'formatted final turns: punctuation and casing',
    negatedHelp: 'raw final turns: lowercase, no punctuation',
  },
  {
    name: 'prompt',
    field: 'prompt',
    value: { kind: 'text', arg: '<text>' },
    group: 'model',
    commands: ['run', 'notes'],
    helpFor: { notes: 'ask for something else than the default notes' },
    help: 'describe the audio to the model, at most 1750 characters (Universal-3 models)',
    file: true,
    example: 'a meeting about the budget',
  },
  {
    name: 'filter-profanity',
    field: 'filterProfanity',
    value: { kind: 'switch' },
    group: 'model',
    commands: ['run'],
    help: 'mask profanity in the transcript',
    file: true,
    example: true,
  },
  {
    name: 'redact-pii',
    field: 'redactPii',
    value: { kind: 'text', arg: '<policy,...>' },
    group: 'model',
    commands: ['run'],
    help: 'replace personal data of these kinds, e.g. person_name,phone_number (Universal-3 models)',
    file: true,
    example: 'person_name,phone_number',
  },
  {
    name: 'redact-pii-sub',
    field: 'redactPiiSub',
    value: { kind: 'choice', arg: '<sub>', values: REDACT_PII_SUBS },
    group: 'model',
    commands: ['run'],
    help: 'what replaces it (with --redact-pii)',
    file: true,
    example: 'hash',
  },
  // Config file
  {
    name: 'config',
    field: undefined,
    value: { kind: 'file', arg: '<file>' },
    group: 'settings',
    commands: ['run', 'config', 'doctor', 'login', 'logout'],
    env: 'LIVE_TRANSCRIBE_CONFIG',
    helpFor: {
      login: 'the config file to use when there is no keyring',
      logout: 'the config file to remove the key from',
      config: 'another config file',
      doctor: 'check the settings of this file instead of the usual one',
    },
    help: 'read settings from this file instead of the usual one (live-transcribe config --path)',
    file: 'a config file cannot name another one: use --config or LIVE_TRANSCRIBE_CONFIG',
  },
  {
    name: 'profile',
    field: undefined,
    value: { kind: 'text', arg: '<name>' },
    complete: 'profiles',
    group: 'settings',
    commands: ['run', 'config', 'doctor'],
    env: 'LIVE_TRANSCRIBE_PROFILE',
    helpFor: { config: 'show the settings with this profile', doctor: 'check the settings of this [profiles.NAME] table' },
    help: 'use this [profiles.NAME] table of the config file',
    file: 'choose a profile with default-profile = "NAME", --profile or LIVE_TRANSCRIBE_PROFILE',
  },
  {
    name: 'path',
    field: undefined,
    value: { kind: 'switch' },
    group: 'settings',
    commands: ['config'],
    help: "print the config file's path",
    file: 'a command-line switch of live-transcribe config',
  },
  {
    name: 'init',
    field: undefined,
    value: { kind: 'switch' },
    group: 'settings',
    commands: ['config'],
    help: 'write a commented starter file (never replaces one)',
    file: 'a command-line switch of live-transcribe config',
  },
  // Connection
  {
    name: 'api-host',
    field: 'apiHost',
    value: { kind: 'text', arg: '<host>' },
    group: 'connection',
    commands: ['run', 'doctor', 'notes', 'login'],
    helpFor: { notes: "the streaming host, which picks the gateway's region", login: 'check the key with this streaming host' },
    help: 'streaming host, or a full wss:// URL',
    default: DEFAULT_HOST,
    file: true,
    example: DEFAULT_HOST,
  },
  {
    name: 'connect-timeout',
    field: 'connectTimeout',
    value: { kind: 'integer', arg: '<s>', min: 1, max: 300, unit: 'seconds' },
    group: 'connection',
    commands: ['run'],
    help: 'give up if the session has not started after this long',
    default: String(DEFAULT_CONNECT_TIMEOUT_S),
    file: true,
    example: DEFAULT_CONNECT_TIMEOUT_S,
  },
  {
    name: 'reconnect-attempts',
    field: 'reconnectAttempts',
    value: { kind: 'integer', arg: '<n>', min: 0, max: 100, unit: 'attempts' },
    group: 'connection',
    commands: ['run'],
    help: `after a drop, new sessions are tried without a limit while missed audio can be kept on disk; once the spool is full, at most this many per outage (0: never reconnect); the first connection is retried at most ${DEFAULT_START_ATTEMPTS} times (see --keep-recording), so a wrong host fails fast`,
    default: String(DEFAULT_RECONNECT_ATTEMPTS),
    file: true,
    example: DEFAULT_RECONNECT_ATTEMPTS,
  },
  {
    name: 'inactivity-timeout',
    field: 'inactivityTimeout',
    value: { kind: 'integer', arg: '<s>', min: 5, max: 3600, unit: 'seconds' },
    group: 'connection',
    commands: ['run'],
    help: 'let the service end the session when no audio arrives for this long (5-3600); silence still counts as audio, so it fires only when the input stalls',
    file: true,
    example: 300,
  },
  // Model tuning
  {
    name: 'end-of-turn-confidence-threshold',
    field: 'endOfTurnConfidenceThreshold',
    value: { kind: 'fraction', arg: '<0..1>' },
    group: 'tuning',
    commands: ['run'],
    help: 'confidence needed to end a turn at a short pause',
    file: true,
    example: 0.4,
  },
  {
    name: 'min-turn-silence',
    field: 'minTurnSilence',
    value: { kind: 'integer', arg: '<ms>', min: 0, max: 60_000, unit: 'milliseconds' },
    group: 'tuning',
    commands: ['run'],
    help: 'silence that ends a turn when confident',
    file: true,
    example: 400,
  },
  {
    name: 'max-turn-silence',
    field: 'maxTurnSilence',
    value: { kind: 'integer', arg: '<ms>', min: 0, max: 60_000, unit: 'milliseconds' },
    group: 'tuning',
    commands: ['run'],
    help: 'silence that always ends a turn',
    file: true,
    example: 1280,
  },
  {
    name: 'mode',
    field: 'mode',
    value: { kind: 'choice', arg: '<preset>', values: MODES },
    group: 'tuning',
    commands: ['run'],
    help: 'turn detection of the Universal-3 models',
    file: true,
    example: 'balanced',
  },
  {
    name: 'vad-threshold',
    field: 'vadThreshold',
    value: { kind: 'fraction', arg: '<0..1>' },
    group: 'tuning',
    commands: ['run'],
    help: 'how sure the model must be that a sound is speech',
    file: true,
    example: 0.4,
  },
  {
    name: 'voice-focus',
    field: 'voiceFocus',
    value: { kind: 'choice', arg: '<focus>', values: VOICE_FOCUS },
    group: 'tuning',
    commands: ['run'],
    help: 'near-field (a headset) or far-field (a room) (Universal-3 models)',
    file: true,
    example: 'near-field',
  },
  // This program
  // Recovery and the pre-recorded API (docs/recovery.md)
  {
    name: 'batch',
    field: 'batch',
    value: { kind: 'switch' },
    group: 'input',
    commands: ['run'],
    help: 'with -i FILE: upload the whole file and get its transcript at once (seconds, not real time; pre-recorded price)',
    file: 'streaming or uploading is chosen per file: pass --batch',
  },
  {
    name: 'replay-limit',
    field: 'replayLimit',
    value: { kind: 'integer', arg: '<s>', min: 5, max: 3600, unit: 'seconds' },
    group: 'connection',
    commands: ['run'],
    help: 'audio replayed into a new session after a drop; older audio the service missed is kept on disk and recovered',
    default: '120',
    file: true,
    example: 120,
  },
  {
    name: 'spool-limit',
    field: 'spoolLimit',
    value: { kind: 'duration', arg: '<duration>' },
    group: 'connection',
    commands: ['run'],
    help: 'at most this much missed audio kept on disk per source (e.g. 90m)',
    default: '4h',
    file: true,
    example: '4h',
  },
  {
    name: 'keep-recording',
    field: 'keepRecording',
    value: { kind: 'switch' },
    group: 'connection',
    commands: ['run'],
    help: 'start recording even when the service cannot be reached at the start: retry like an outage (without a limit while the spool has room), keep the audio on disk, recover it once connected; a file that ends during an outage waits for the service the same way (not 10 s)',
    file: true,
    example: true,
  },
  // Captions and notes
  {
    name: 'captions',
    field: 'captions',
    value: { kind: 'optional', arg: '[address]' },
    group: 'extras',
    commands: ['run', 'doctor'],
    help: 'serve live captions to a browser, OBS or a phone at HOST:PORT, :PORT or PORT (default 127.0.0.1:8777; port 0: a free one); the URL is printed on stderr (docs/captions.md)',
    helpFor: { doctor: 'also check that the captions page can be served here (default: 127.0.0.1:8777)' },
    file: true,
    example: '127.0.0.1:8777',
  },
  {
    name: 'notes',
    field: 'notes',
    value: { kind: 'optional', arg: '[prompt]' },
    group: 'extras',
    commands: ['run'],
    help: "at the end, notes from AssemblyAI's LLM Gateway (summary, decisions, action items, open questions), or the answer to PROMPT; beside -o as .notes.md, else on stderr (docs/notes.md)",
    file: true,
    example: true,
  },
  {
    name: 'notes-file',
    field: 'notesFile',
    value: { kind: 'file', arg: '<file>' },
    group: 'extras',
    commands: ['run', 'notes'],
    helpFor: { notes: 'write the Markdown here (default: FILE with .notes.md; -: stdout)' },
    help: 'write the --notes Markdown to this file (implies --notes)',
    file: 'one file for one run: use --notes-file, or -o FILE (the notes go beside it)',
  },
  {
    name: 'llm-model',
    field: 'llmModel',
    value: { kind: 'text', arg: '<name>' },
    group: 'extras',
    commands: ['run', 'notes'],
    help: 'the LLM Gateway model for --notes and the ? key (see --list-llm-models)',
    default: DEFAULT_LLM_MODEL,
    file: true,
    example: DEFAULT_LLM_MODEL,
  },
  {
    name: 'list-llm-models',
    field: 'listLlmModels',
    value: { kind: 'switch' },
    group: 'extras',
    commands: ['run'],
    help: "list the LLM Gateway's models for this region, and exit (--format json for JSON)",
    file: ACTION('list-llm-models'),
  },
  // Dictation: `live-transcribe dictate` takes every option of a run, and these
  {
    name: 'enter',
    field: 'enter',
    value: { kind: 'switch' },
    group: 'dictate',
    commands: ['dictate'],
    help: 'press Enter after each turn (a chat, a coding agent)',
    file: true,
    example: true,
  },
  {
    name: 'newline',
    field: 'newline',
    value: { kind: 'switch' },
    group: 'dictate',
    commands: ['dictate'],
    help: 'a line break between turns instead of a space',
    file: true,
    example: true,
  },
  {
    name: 'type-with',
    field: 'typeWith',
    value: { kind: 'choice', arg: '<name>', values: BACKEND_NAMES },
    group: 'dictate',
    commands: ['dictate'],
    help: 'how to type, instead of the one found for this desktop',
    file: true,
    example: 'xdotool',
  },
  {
    name: 'toggle',
    field: 'toggle',
    value: { kind: 'switch' },
    group: 'dictate',
    commands: ['dictate'],
    help: 'start dictation, or stop the one running (for a desktop shortcut)',
    file: 'an action, not a setting: bind live-transcribe dictate --toggle to a shortcut',
  },
  {
    name: 'notify',
    field: 'notify',
    value: { kind: 'switch' },
    negate: 'only',
    group: 'dictate',
    commands: ['dictate'],
    help: 'no desktop notification when dictation starts and stops',
    file: true,
    example: false,
  },
  {
    name: 'help',
    field: undefined,
    short: 'h',
    value: { kind: 'switch' },
    group: 'program',
    essential: true,
    commands: ['run', 'doctor', 'config', 'dictate', 'notes', 'login', 'logout'],
    help: 'show this help (--help all: every option)',
    helpFor: {
      doctor: 'show this help',
      config: 'show this help',
      dictate: 'show this help',
      notes: 'show this help',
      login: 'show this help',
      logout: 'show this help',
    },
    file: 'a command-line switch, not a setting',
  },
  {
    name: 'version',
    field: undefined,
    short: 'V',
    value: { kind: 'switch' },
    group: 'program',
    commands: ['run'],
    help: 'print the version',
    file: 'a command-line switch, not a setting',
  },
] as const satisfies readonly OptionSpec<string>[];

/** The table's type, each entry as written (names, fields and kinds of value as literals). */
export type OptionTable = typeof TABLE;

/** The settings fields of the table: the keys of RawOptions (options/raw-options.ts). */
export type SettingField = NonNullable<OptionTable[number]['field']>;

/** Every option, in table order. */
export const OPTIONS: readonly OptionSpec[] = TABLE;

/** The option of a long name, without `--`. */
export function optionNamed(name: string): OptionSpec | undefined {
  return OPTIONS.find((o) => o.name === name);
}

/** Every flag an option goes by, long ones as typed: ['-o', '--output'], ['--format-turns', '--no-format-turns'], ['--no-color']. */
export function flagsOf(option: OptionSpec): string[] {
  const long =
    option.negate === 'only'
      ? [`--no-${option.name}`]
      : option.negate === 'also'
        ? [`--${option.name}`, `--no-${option.name}`]
        : [`--${option.name}`];
  return option.short === undefined ? long : [`-${option.short}`, ...long];
}

/** The long flag of a settings field, as typed: 'untilSilence' -> '--until-silence'. */
export function flagOfField(field: SettingField): string {
  const option = OPTIONS.find((o) => o.field === field);
  if (option === undefined) throw new Error(`no option of the table fills ${field}`);
  return `--${option.name}`;
}

/** The values a closed choice allows; undefined for any other kind. */
export function allowedValues(option: OptionSpec): readonly string[] | undefined {
  return option.value.kind === 'choice' ? option.value.values : undefined;
}

/** The options of one command, in table order. */
export function optionsOf(command: CommandName): OptionSpec[] {
  return OPTIONS.filter((o) => o.commands.includes(command));
}

/** The settings fields, in table order. */
export const SETTING_FIELDS: readonly SettingField[] = OPTIONS.flatMap((o) => (o.field === undefined ? [] : [o.field]));
