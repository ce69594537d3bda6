/**
 * THE resolve step: the merged settings (flags, environment, profile, file; options/layers.ts) -> a typed,
 * validated Config. Each value is checked by its kind (options/values.ts, from the table); the rules that tie
 * two options together (--append with --force, min/max turn silence, --encoding with the microphone, a token
 * with several sources, --partials with json...) live here and in the two parts it calls (service.ts: the
 * model and its options; meetings.ts: the sources). Pure: no I/O, throws UsageError.
 */
import { UsageError } from '../core/errors.js';
import { choiceValue, numberValue } from './values.js';
import { readEnvironment } from './environment.js';
import { colorDisabled } from './color.js';
import * as say from '../render/usage-messages.js';
import type { Auth, Credentials, Encoding, Notice, InputSpec, OutputFormat, OutputSpec, StopConditions, StreamingParams } from '../core/types.js';
import { parseStopPhrases } from './stop-phrases.js';
import { resolveLlm, type LlmConfig } from '../notes/options.js';
import { resolveRunSources, type SourceSpec } from './meetings.js';
import { keytermList, resolveService, tokenCommandCredentials } from './service.js';
import type { Env, RawOptions } from './raw-options.js';
import { parseCaptionsAddress, type CaptionsAddress } from '../captions/address.js';
import { resolveBatch, type BatchSettings } from './batch.js';
import { KEEP_RECORDING_WITH_TOKEN } from '../render/recovery-messages.js';

export type { Auth, Encoding, InputSpec, OutputFormat, OutputSpec, StopConditions, StreamingParams } from '../core/types.js';

import { DEFAULT_CONNECT_TIMEOUT_S, DEFAULT_HOST, DEFAULT_RECONNECT_ATTEMPTS, DEFAULT_SAMPLE_RATE_HZ } from '../core/defaults.js';

export { DEFAULT_CONNECT_TIMEOUT_S, DEFAULT_HOST, DEFAULT_RECONNECT_ATTEMPTS, DEFAULT_SAMPLE_RATE_HZ } from '../core/defaults.js';

export type { Notice } from '../core/types.js';

export interface Config {
  /** The credential of each session: a key, a token (one session), or a command printing one per session. */
  auth: Credentials;
  input: InputSpec;
  output: OutputSpec;
  stop: StopConditions;
  /** --save-audio: keep exactly what was sent, as a WAV file. */
  saveAudio?: { path: string; overwrite: boolean };
  /** Full WebSocket URL without query, e.g. wss://streaming.assemblyai.com/v3/ws */
  endpoint: string;
  params: StreamingParams;
  /** Bound on connecting: handshake plus waiting for Begin. */
  connectTimeoutMs: number;
  /** New sessions tried per outage before giving up (0: never reconnect). */
  reconnectAttempts: number;
  quiet: boolean;
  /** false: --no-color or NO_COLOR; undefined: let the stream decide. */
  color: false | undefined;
  /** The audio sources of a meeting (issue 13), two or more; absent for one (a file, stdin, one microphone). */
  sources?: SourceSpec[];
  /** Warnings and notes about the choices made (the model, --format-turns), shown before the run unless --quiet. */
  notices?: Notice[];
  /** Issue 23: the LLM Gateway (notes at the end, the question key); nothing is sent unless asked. */
  llm?: LlmConfig;
  /** --captions [ADDRESS]: the live captions page, served where. */
  captions?: CaptionsAddress;
  /** `-i FILE --batch`, the whole file through the pre-recorded API (batch/config-batch.ts). */
  batch?: BatchSettings;
  /** --replay-limit (audio replayed into a new session; default 120 s) and --spool-limit (kept on disk). */
  replayLimitMs?: number;
  spoolLimitMs?: number;
  /** Start without the service and never give up while the audio is kept (--keep-recording). */
  keepRecording?: boolean;
}

export type { Env, RawOptions } from './raw-options.js';

function usageError(r: say.Refusal): UsageError {
  return new UsageError(r.message, r.hint);
}

/** Refuses the command line: a UsageError (exit 2) with the sentence from render/usage-messages.ts. */
function refuse(r: say.Refusal): never {
  throw usageError(r);
}

export function resolveConfig(raw: RawOptions, env: Env): Config {
  const service = resolveService(raw);
  const params: StreamingParams = {
    sampleRateHz: raw.sampleRate === undefined ? DEFAULT_SAMPLE_RATE_HZ : parseSampleRate(raw.sampleRate),
    encoding: raw.encoding === undefined ? 'pcm_s16le' : choiceValue<Encoding>('encoding', raw.encoding),
    formatTurns: service.formatTurns,
    speechModel: service.speechModel,
    ...(Object.keys(service.model).length > 0 ? { model: service.model } : {}),
  };
  const keyterms = keytermList(raw);
  if (keyterms !== undefined) params.keyterms = parseKeyterms(keyterms);
  if (raw.endOfTurnConfidenceThreshold !== undefined) {
    params.endOfTurnConfidenceThreshold = numberValue('end-of-turn-confidence-threshold', raw.endOfTurnConfidenceThreshold);
  }
  if (raw.minTurnSilence !== undefined) {
    params.minTurnSilenceMs = numberValue('min-turn-silence', raw.minTurnSilence);
  }
  if (raw.maxTurnSilence !== undefined) {
    params.maxTurnSilenceMs = numberValue('max-turn-silence', raw.maxTurnSilence);
  }
  if (params.minTurnSilenceMs !== undefined && params.maxTurnSilenceMs !== undefined && params.minTurnSilenceMs > params.maxTurnSilenceMs) {
    refuse(say.formatTurnSilenceOrder(params.minTurnSilenceMs, params.maxTurnSilenceMs));
  }
  if (raw.inactivityTimeout !== undefined) {
    params.inactivityTimeoutS = numberValue('inactivity-timeout', raw.inactivityTimeout);
  }

  const { input, sources } = resolveRunSources(raw, resolveInput(raw));
  if (raw.encoding !== undefined && input.kind === 'microphone') {
    refuse(say.REFUSALS.encodingWithMicrophone);
  }
  const config: Config = {
    auth: tokenCommandCredentials(raw) ?? authOrThrow(raw, env),
    input,
    output: resolveOutput(raw),
    stop: resolveStop(raw),
    endpoint: parseApiHost(raw.apiHost ?? DEFAULT_HOST),
    params,
    connectTimeoutMs: raw.connectTimeout === undefined ? DEFAULT_CONNECT_TIMEOUT_S * 1000 : numberValue('connect-timeout', raw.connectTimeout) * 1000,
    reconnectAttempts: raw.reconnectAttempts === undefined ? DEFAULT_RECONNECT_ATTEMPTS : numberValue('reconnect-attempts', raw.reconnectAttempts),
    quiet: raw.quiet ?? false,
    color: colorDisabled(raw, env) ? false : undefined,
    // One source is the run as it always was; a meeting lists them (issue 13).
    ...(sources.length > 1 ? { sources } : {}),
    ...(service.notices.length > 0 ? { notices: service.notices } : {}),
  };
  // A plain --token serves one session (docs/service.md#temporary-tokens); several sources open one each.
  if (sources.length > 1 && config.auth.kind === 'token') refuse(say.REFUSALS.tokenWithSeveralSources);
  if (raw.saveAudio !== undefined) {
    if (raw.saveAudio.trim() === '' || raw.saveAudio === '-') refuse(say.REFUSALS.saveAudioNoName);
    if (raw.output !== undefined && raw.saveAudio === raw.output) refuse(say.REFUSALS.saveAudioIsOutput);
    // Issue 24.8: the saved audio is WAV, whatever the name says.
    if (!/\.wav$/i.test(raw.saveAudio)) refuse(say.formatSaveAudioNotWav(raw.saveAudio));
    config.saveAudio = { path: raw.saveAudio, overwrite: raw.force === true };
  }
  config.llm = resolveLlm(raw, config.endpoint, config.auth, env); // issue 23
  // Issue 20: the captions page.
  if (raw.captions !== undefined && raw.captions !== false) config.captions = parseCaptionsAddress(raw.captions);
  // Issue 22: -i FILE --batch (the pre-recorded API); the replay bound and the spool's.
  if (raw.batch === true) config.batch = resolveBatch(raw, config);
  if (raw.replayLimit !== undefined) config.replayLimitMs = numberValue('replay-limit', raw.replayLimit) * 1000;
  if (raw.spoolLimit !== undefined) config.spoolLimitMs = Math.round(numberValue('spool-limit', raw.spoolLimit) * 1000);
  if (raw.keepRecording === true) {
    config.keepRecording = true;
    if (config.auth.kind !== 'key') (config.notices ??= []).push({ kind: 'warning', text: KEEP_RECORDING_WITH_TOKEN });
  }
  return config;
}

/** --list-devices prints text or JSON: a --format flag says which, a format from the file only when it is one of them. */
export function listDevicesOptions(settings: { options: RawOptions; sources: Partial<Record<keyof RawOptions, string>> }): RawOptions {
  const { format } = settings.options;
  const usable = settings.sources.format === 'flag' || format === 'json' || format === 'text';
  const { format: _format, ...rest } = settings.options;
  return usable && format !== undefined ? { ...rest, format } : rest;
}

const RAW_EXTENSIONS = /\.(raw|pcm|s16|sw|ul|ulaw|mulaw|mu)$/i;

function resolveInput(raw: RawOptions): InputSpec {
  if (raw.input === undefined) return { kind: 'microphone' };
  if (raw.input === '-') return { kind: 'stdin' };
  if (raw.input.trim() === '') refuse(say.REFUSALS.inputEmpty);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw.input)) refuse(say.formatInputIsUrl(raw.input)); // issue 24.3
  return { kind: 'file', path: raw.input, raw: raw.encoding !== undefined || RAW_EXTENSIONS.test(raw.input) };
}

/** The extensions the transcript file's format is known from (.json too, as NDJSON, for older scripts). */
export const OUTPUT_EXTENSIONS: Readonly<Record<string, OutputFormat>> = {
  txt: 'text',
  jsonl: 'json',
  ndjson: 'json',
  json: 'json',
  srt: 'srt',
  vtt: 'vtt',
};

/** The transcript file's format from its extension; undefined for one the tool does not know (.docx) or none. */
export function formatForPath(path: string): OutputFormat | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext === undefined ? undefined : OUTPUT_EXTENSIONS[ext];
}

function resolveOutput(raw: RawOptions): OutputSpec {
  const format = raw.format === undefined ? undefined : choiceValue<OutputFormat>('format', raw.format);
  const output: OutputSpec = { format: format ?? 'text', timestamps: raw.timestamps ?? false, partials: raw.partials ?? false };
  if (raw.append === true && raw.force === true) refuse(say.REFUSALS.appendWithForce);
  if (raw.output !== undefined) {
    if (raw.output.trim() === '' || raw.output === '-') refuse(say.REFUSALS.outputNoName);
    const fromExtension = formatForPath(raw.output);
    if (say.isFolderName(raw.output)) refuse(say.formatOutputIsFolder(raw.output)); // issue 24.8
    output.file = {
      path: raw.output,
      format: format ?? fromExtension ?? refuse(say.formatUnknownOutputExtension(raw.output)),
      mode: raw.append === true ? 'append' : raw.force === true ? 'overwrite' : 'create',
      ...(fromExtension === undefined ? { formatFromFlag: true as const } : {}),
    };
  } else if (raw.append === true) {
    refuse(say.REFUSALS.appendNoOutput);
  } else if (raw.force === true && raw.saveAudio === undefined && raw.notesFile === undefined) {
    refuse(say.REFUSALS.forceNoFile);
  }
  if (output.partials && output.format !== 'json' && output.file?.format !== 'json') {
    refuse(say.REFUSALS.partialsNotJson);
  }
  if (output.timestamps && output.format !== 'text' && output.file?.format !== 'text') {
    refuse(say.REFUSALS.timestampsNotText);
  }
  return output;
}

function resolveStop(raw: RawOptions): StopConditions {
  const stop: StopConditions = { once: raw.once ?? false };
  if (raw.maxDuration !== undefined) stop.maxDurationMs = Math.round(numberValue('max-duration', raw.maxDuration) * 1000);
  if (raw.untilSilence !== undefined) stop.untilSilenceMs = Math.round(numberValue('until-silence', raw.untilSilence) * 1000);
  const stopPhrases = parseStopPhrases(raw.stopPhrase);
  if (stopPhrases !== undefined) stop.stopPhrases = stopPhrases;
  return stop;
}

/** Where the credential came from, in precedence order. */
export type AuthSource = '--token' | '--api-key' | 'ASSEMBLYAI_API_KEY';

export type AuthResolution =
  | { ok: true; auth: Auth; source: AuthSource }
  | { ok: false; reason: 'conflict' | 'missing'; error: UsageError }
  | { ok: false; reason: 'malformed'; source: AuthSource; error: UsageError };

/** The hint under every "no API key" message (the run's error, doctor's fix). */
export const NO_API_KEY_HINT = say.REFUSALS.noApiKey.hint;

/**
 * The one auth precedence: --token, then --api-key, then ASSEMBLYAI_API_KEY (empty counts as unset);
 * both flags together are refused. Pure, never throws: the run throws `error`, doctor reports it.
 */
export function resolveAuth(raw: Pick<RawOptions, 'apiKey' | 'token'>, env: Env): AuthResolution {
  if (raw.apiKey !== undefined && raw.token !== undefined) {
    return { ok: false, reason: 'conflict', error: usageError(say.REFUSALS.keyAndToken) };
  }
  const fromEnv = readEnvironment(env).apiKey;
  const [source, value]: [AuthSource, string | undefined] =
    raw.token !== undefined ? ['--token', raw.token] : raw.apiKey !== undefined ? ['--api-key', raw.apiKey] : ['ASSEMBLYAI_API_KEY', fromEnv];
  if (value === undefined) {
    return { ok: false, reason: 'missing', error: usageError(say.REFUSALS.noApiKey) };
  }
  const problem = secretProblem(value);
  if (problem !== undefined) return { ok: false, reason: 'malformed', source, error: usageError(say.formatBadSecret(source, problem)) };
  const secret = value.trim();
  return { ok: true, source, auth: source === '--token' ? { kind: 'token', token: secret } : { kind: 'key', apiKey: secret } };
}

function authOrThrow(raw: RawOptions, env: Env): Auth {
  const resolved = resolveAuth(raw, env);
  if (!resolved.ok) throw resolved.error;
  return resolved.auth;
}

/**
 * What is wrong with a key or token as pasted, or undefined: the usual copy-paste accidents, caught
 * locally. Never includes the secret itself. Shared with `doctor`.
 */
export function secretProblem(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return 'is empty';
  if (/^bearer\s/i.test(trimmed)) return 'starts with "Bearer " (give the raw key: the streaming API refuses the Bearer form)';
  if (/^["'].*["']$/.test(trimmed)) return 'is wrapped in quotes (remove them)';
  if (/[\s"']/.test(trimmed)) return 'contains spaces or quotes (paste the key alone)';
  if (/[^\x21-\x7e]/.test(trimmed))
    return 'contains invisible or non-ASCII characters, often from copying it out of a web page or chat (type or paste it again)';
  return undefined;
}

/** --sample-rate: whole Hz, 8000 to 96000, the service's range (docs/service.md#model-parameters; also doctor's). */
export function parseSampleRate(text: string): number {
  return numberValue('sample-rate', text);
}

/** --keyterms and --keyterms-file's terms together: at least one, at most 100, each at most 50 characters. */
function parseKeyterms(terms: string[]): string[] {
  if (terms.length === 0) refuse(say.REFUSALS.keytermsEmpty);
  if (terms.length > 100) refuse(say.formatTooManyKeyterms(terms.length));
  const long = terms.find((t) => t.length > 50);
  if (long !== undefined) {
    refuse(say.formatKeytermTooLong(long));
  }
  return terms;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Host name or ws(s):// URL -> full endpoint URL; plain ws:// only to loopback so keys never cross a network in clear. */
export function parseApiHost(value: string): string {
  const text = value.trim();
  if (text === '') refuse(say.REFUSALS.apiHostEmpty);
  let url: URL;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      url = new URL(text);
    } catch {
      refuse(say.formatApiHostNotUrl(text));
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
      refuse(say.formatApiHostScheme(text, url.protocol, url.host, LOOPBACK.test(url.hostname)));
    }
    if (url.protocol === 'ws:' && !LOOPBACK.test(url.hostname)) {
      refuse(say.REFUSALS.plainWsNotLoopback(url.host));
    }
  } else {
    try {
      url = new URL(`wss://${text}`);
    } catch {
      refuse(say.formatApiHostInvalidName(text));
    }
    if (url.pathname !== '/' || url.search !== '') {
      refuse(say.formatApiHostNotHost(text));
    }
  }
  if (url.username !== '' || url.password !== '') refuse(say.REFUSALS.apiHostCredentials);
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/v3/ws';
  url.search = '';
  url.hash = '';
  return url.toString();
}
