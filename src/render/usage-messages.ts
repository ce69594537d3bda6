/**
 * Every sentence config.ts refuses a command line with (pure): a message and, where it helps, a hint
 * shown under it. config.ts turns them into UsageErrors (exit 2).
 */
import { API_KEYS_PAGE } from './links.js';

export interface Refusal {
  message: string;
  hint?: string;
}

/** The refusals that need no value. */
export const REFUSALS = {
  encodingWithMicrophone: { message: '--encoding applies to raw audio from --input', hint: 'the microphone is always recorded as pcm_s16le' },
  saveAudioNoName: { message: '--save-audio needs a file name', hint: 'e.g. --save-audio session.wav' },
  saveAudioIsOutput: { message: '--save-audio and --output name the same file' },
  deviceEmpty: { message: '--device is empty', hint: 'name a recording device, or leave the flag out to use the default one' },
  deviceWithInput: { message: '--device and --input cannot be used together', hint: 'record from a device, or read a file' },
  inputEmpty: { message: '--input is empty', hint: 'give a file name, or - for standard input' },
  appendWithForce: { message: '--append and --force cannot be used together', hint: 'add to the file with --append, or replace it with --force' },
  outputNoName: { message: '--output needs a file name', hint: 'the transcript goes to stdout anyway; -o adds a file' },
  appendNoOutput: { message: '--append needs --output <file>' },
  forceNoFile: { message: '--force needs --output <file> or --save-audio <file>' },
  partialsNotJson: {
    message: '--partials applies to --format json',
    hint: 'partial turns are shown live on a terminal anyway; in a pipe use --format json --partials',
  },
  timestampsNotText: { message: '--timestamps applies to text output', hint: 'json, srt and vtt always carry times' },
  keyAndToken: { message: '--api-key and --token cannot be used together', hint: 'give either an API key or a temporary token' },
  noApiKey: {
    message: 'no API key: set ASSEMBLYAI_API_KEY, pass --api-key, or run live-transcribe login',
    hint: `get a key at ${API_KEYS_PAGE}, then: live-transcribe login (stores it), or export ASSEMBLYAI_API_KEY=<your key>`,
  },
  keytermsEmpty: { message: '--keyterms is empty', hint: 'give comma-separated terms, e.g. --keyterms "AssemblyAI,Kubernetes"' },
  apiHostEmpty: { message: '--api-host is empty' },
  tokenWithSeveralSources: {
    message: 'a temporary token opens one session, and each source of a meeting needs its own',
    hint: 'use --token-command CMD (run before each session) or an API key (ASSEMBLYAI_API_KEY)',
  },
  plainWsNotLoopback: (host: string): Refusal => ({
    message: 'plain ws:// is only allowed to localhost',
    hint: `use wss://${host} so the key is encrypted in transit`,
  }),
  apiHostCredentials: { message: '--api-host must not contain credentials', hint: 'pass the key with ASSEMBLYAI_API_KEY' },
} as const;

export function formatTurnSilenceOrder(minMs: number, maxMs: number): Refusal {
  return {
    message: `--min-turn-silence (${minMs} ms) is longer than --max-turn-silence (${maxMs} ms)`,
    hint: 'the minimum silence that ends a confident turn cannot exceed the silence that always ends one',
  };
}

/** A value outside a fixed set: --encoding, --format, --speech-model. */
export function formatUnknownChoice(flag: string, text: string, choices: readonly string[]): Refusal {
  return { message: `unknown ${flag} "${text}"`, hint: `choose one of: ${choices.join(', ')}` };
}

export function formatNotADuration(flag: string, text: string): Refusal {
  return { message: `${flag} must be a positive duration in seconds (e.g. 90, 1.5, 2m), got "${text}"` };
}

export function formatNotAWholeNumber(flag: string, text: string, unit: string): Refusal {
  return { message: `${flag} must be a whole number of ${unit}, got "${text}"` };
}

export function formatOutOfRange(flag: string, value: number, min: number, max: number, unit: string): Refusal {
  return { message: `${flag} must be between ${min} and ${max} ${unit}, got ${value}` };
}

export function formatNotAUnitInterval(flag: string, text: string): Refusal {
  return { message: `${flag} must be a number from 0 to 1, got "${text}"` };
}

/** A key or token as pasted is wrong: `problem` says how (secretProblem), never with the secret. */
export function formatBadSecret(source: string, problem: string): Refusal {
  return { message: `${source} ${problem}` };
}

export function formatTooManyKeyterms(count: number): Refusal {
  return { message: `--keyterms has ${count} terms; the service allows at most 100` };
}

export function formatKeytermTooLong(term: string): Refusal {
  return { message: `keyterm "${term.slice(0, 20)}..." is longer than 50 characters`, hint: 'the service silently ignores such terms: shorten it' };
}

export function formatApiHostNotUrl(text: string): Refusal {
  return { message: `--api-host "${text}" is not a valid URL` };
}

/** A URL that is not ws:// or wss://, shown whole (issue 11.12), with the WebSocket form to use instead. */
export function formatApiHostScheme(text: string, protocol: string, host: string, loopback: boolean): Refusal {
  const web = protocol === 'http:' || protocol === 'https:';
  const local = loopback ? ` (or ws://${host} for a local server without TLS)` : '';
  return {
    message: `--api-host must be a host name or a ws:// or wss:// URL, got "${text}"`,
    hint: web ? `${protocol}// is not a WebSocket URL: try --api-host wss://${host}${local}` : `try --api-host wss://${host}`,
  };
}

export function formatApiHostInvalidName(text: string): Refusal {
  return { message: `--api-host "${text}" is not a valid host name` };
}

export function formatApiHostNotHost(text: string): Refusal {
  return { message: `--api-host "${text}" is not a host name`, hint: 'give a host like streaming.eu.assemblyai.com, or a full wss:// URL' };
}

/** --save-audio with a name that is not .wav (issue 24.8): the audio is written as WAV only. */
export function formatSaveAudioNotWav(path: string): Refusal {
  const stem = path.replace(/\.[^./\\]*$/, '');
  return {
    message: `--save-audio writes WAV only, and ${path} is not a .wav name`,
    hint: `name it ${stem === '' ? 'session' : stem}.wav (convert it afterwards, e.g. sox ${stem === '' ? 'session' : stem}.wav out.mp3)`,
  };
}

/** `-o .`, `-o ..`, `-o dir/`: a folder, not a file (issue 24.8). */
export function isFolderName(path: string): boolean {
  return /(^|[/\\])\.{1,2}$/.test(path) || /[/\\]$/.test(path);
}

/** -o with an extension the tool does not know (.docx) or none, and no --format (issue 11.4). */
export function formatUnknownOutputExtension(path: string): Refusal {
  if (isFolderName(path)) return formatOutputIsFolder(path);
  const ext = /\.([^./\\]+)$/.exec(path)?.[1];
  return {
    message: ext === undefined ? `--output ${path} has no extension to tell the format from` : `--output ${path}: unknown extension .${ext}`,
    hint: 'name the file .txt, .jsonl (or .ndjson), .srt or .vtt, or say the format with --format text|json|srt|vtt',
  };
}

/** The note on stderr when --format names the format of a file whose extension does not. */
export function formatOutputFormatFromFlag(path: string, format: string): string {
  return `writing ${path} as ${format} (--format): its extension does not tell the format`;
}

/** -o names a folder (issue 24.8). */
export function formatOutputIsFolder(path: string): Refusal {
  const base = /[/\\]$/.test(path) ? path : `${path}/`;
  return { message: `--output ${path} is a folder, not a file`, hint: `name a file in it, e.g. -o ${base}transcript.txt` };
}

/** -i https://... (issue 24.3): the client reads files and standard input, not URLs. */
export function formatInputIsUrl(url: string): Refusal {
  const name = /\/([^/?#]+\.[A-Za-z0-9]+)(?:[?#].*)?$/.exec(url)?.[1] ?? 'audio.wav';
  return {
    message: `--input ${url} is a URL, and URLs are not read`,
    hint: `download it first, then: curl -L -o ${name} '${url.replace(/'/g, "'\\''")}' && live-transcribe -i ${name}`,
  };
}

/** A file named both as the argument and with -i (issue 24.3). */
export function formatInputTwice(argument: string, input: string): Refusal {
  return {
    message: `two inputs: ${argument} (the argument) and ${input} (-i)`,
    hint: 'give the file once: live-transcribe FILE or live-transcribe -i FILE',
  };
}
