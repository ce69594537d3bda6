/**
 * `live-transcribe doctor`: checks everything a session needs, each with ok / problem / skipped, what
 * was found, and how to fix a problem. Useful offline: every check is bounded and says why it failed.
 *
 * All I/O comes in through DoctorDeps (createDoctorDeps() gives the real ones), so runDoctor() is tested
 * with fakes; what it prints is in render/doctor-messages.ts (pure). Nothing here prints, exits or reads `process`; the API key is
 * never part of any output.
 */
import { scrubSecrets } from '../core/secrets.js';
import { lookup as dnsLookup } from 'node:dns/promises';
import { get as httpGet, type Agent } from 'node:http';
import { get as httpsGet } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { DITHER_PEAK_DBFS, DEFAULT_SILENCE_THRESHOLD_DBFS, levelDbfs, peakDbfs } from '../audio/level.js';
import { parseApiHost, resolveAuth, NO_API_KEY_HINT } from '../options/resolve.js';
import { DEFAULT_HOST, DEFAULT_SAMPLE_RATE_HZ } from '../core/defaults.js';
import { deviceLabel } from '../devices/device-label.js';
import { formatSilenceHint } from '../render/silence-hint.js';
import { lastLines, runCommand, type Exec, isOnPath } from '../system/exec.js';
import * as say from '../render/doctor-messages.js';
import { sanitize } from '../core/text.js';
import { AppError } from '../core/errors.js';
import type { CheckId, CheckStatus, DoctorCheck, DoctorReport } from '../core/doctor-report.js';
import { createProxyAgent, describeProxy, proxyFor, type ProxyChoice, type ProxyDecision } from '../streaming/proxy.js';
import { audioDriverFor } from '../devices/audio-driver.js';
import { buildSoxCommand, soxInstallHint, type SoxCommand } from '../audio/sox-command.js';
import { checkTyping } from '../dictation/doctor-check.js';

export type { CheckId, CheckStatus, DoctorCheck, DoctorReport } from '../core/doctor-report.js';

export interface DoctorOptions {
  /** --device; undefined for the default device. */
  device?: string;
  /** How to name the device in messages (e.g. from findDevice()); default: the name, or "the default device". */
  deviceLabel?: string;
  sampleRateHz?: number;
  /** The streaming endpoint, e.g. wss://streaming.assemblyai.com/v3/ws (parseApiHost's result). */
  endpoint?: string;
  /** --api-key as given (the environment's ASSEMBLYAI_API_KEY is used otherwise). */
  apiKey?: string;
  /** --token as given: checked instead of a key. */
  token?: string;
  /** Where the key or token came from when not the flag itself ("profile work in /x/config.toml line 3"). */
  keySource?: string;
  /** A run would get its tokens from this command: the key check is skipped (running it may mint a token). */
  tokenCommand?: string;
}

export interface RecordResult {
  pcm: Buffer;
  /** SoX's exit code; null if it was killed or did not start. */
  code: number | null;
  stderr: string;
  timedOut: boolean;
  /** errno code when SoX could not start ('ENOENT'...). */
  errorCode?: string;
}

export interface ConnectResult {
  ok: boolean;
  /** TLS version when it worked over TLS ("TLSv1.3"). */
  protocol?: string;
  /** Error code when it failed ("ECONNREFUSED", "CERT_HAS_EXPIRED", "ETIMEDOUT"...). */
  errorCode?: string;
  errorMessage?: string;
}

/** What the token endpoint answered (status and body), or why it could not be asked. */
export type TokenAnswer = { ok: true; status: number; body: string } | { ok: false; errorCode: string; errorMessage: string; hint?: string };

export interface TokenRequest {
  /** https://HOST/v3/token?expires_in_seconds=60 (http:// for a ws:// endpoint). */
  url: string;
  apiKey: string;
  proxy?: ProxyChoice;
  timeoutMs: number;
}

export interface DoctorDeps {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** process.version */
  nodeVersion: string;
  exec: Exec;
  /** Runs a SoX command that ends by itself (trim), collecting its output; bounded by timeoutMs. */
  record: (sox: SoxCommand, timeoutMs: number) => Promise<RecordResult>;
  /** dns.lookup with all addresses; rejects with an errno-style error. */
  lookup: (host: string) => Promise<{ address: string; family: number }[]>;
  /** A TCP connection, with TLS (certificate verified against `host`) when `tls`; bounded by timeoutMs. */
  connect: (o: { host: string; port: number; tls: boolean; timeoutMs: number }) => Promise<ConnectResult>;
  /** GET on the token endpoint with the key (through the proxy, if any); resolves, never rejects. */
  requestToken: (r: TokenRequest) => Promise<TokenAnswer>;
  /** Called as each check starts: the CLI can say "recording 1 s: say something". */
  onCheckStart?: (id: CheckId) => void;
  /** Whether a program is on PATH (issue 21's typing check); default: a PATH lookup. */
  hasCommand?: (command: string) => boolean;
  /** Called as each check finishes, in report order: the CLI can print the report progressively. */
  onCheck?: (check: DoctorCheck) => void;
}

/** The streaming endpoint of the default host. */
const DEFAULT_ENDPOINT = parseApiHost(DEFAULT_HOST);
/** How long each check may take, and how much it reads. */
const LIMITS = {
  soxTimeoutMs: 5_000,
  recordMs: 1_000,
  /** Start-up of the device (PulseAudio ~0.2 s, Bluetooth and macOS permission prompts longer) plus 1 s. */
  recordTimeoutMs: 6_000,
  dnsTimeoutMs: 5_000,
  connectTimeoutMs: 5_000,
  tokenTimeoutMs: 8_000,
  tokenBodyBytes: 4096,
} as const;

/** Runs every check (local and network ones concurrently) and resolves with the report; never rejects. */
export async function runDoctor(options: DoctorOptions, deps: DoctorDeps): Promise<DoctorReport> {
  const local = (async () => {
    const node = await step(deps, 'node', () => checkNode(deps.nodeVersion));
    const sox = await step(deps, 'sox', () => checkSox(options, deps));
    // Skipped without SoX, and then not announced ("Recording 1 s...") either (issue 11.9).
    const mic =
      sox.status === 'problem' && sox.soxMissing
        ? skipped('microphone', 'microphone', say.formatNeeds('SoX'))
        : await step(deps, 'microphone', () => checkMicrophone(options, deps));
    // Issue 21: what `dictate` would type with here.
    const typing = await step(deps, 'typing', () => checkTyping({ ...deps, has: deps.hasCommand ?? ((c) => isOnPath(c, deps.env, deps.platform)) }));
    return [node, sox, mic, typing];
  })();
  const network = checkNetwork(options, deps);
  // Report in a fixed order, each check as soon as it and the ones before it are done.
  const checks: DoctorCheck[] = [];
  for (const group of [local, network]) {
    for (const c of await group) {
      const check: DoctorCheck = { id: c.id, name: c.name, status: c.status, detail: c.detail, ...(c.fix === undefined ? {} : { fix: c.fix }) };
      checks.push(check);
      deps.onCheck?.(check);
    }
  }
  return { checks, ok: checks.every((c) => c.status !== 'problem') };
}

/** The proxy, DNS and connection (to the proxy when one is used), then the key at the token endpoint. */
async function checkNetwork(options: DoctorOptions, deps: DoctorDeps): Promise<DoctorCheck[]> {
  const endpoint = options.endpoint ?? DEFAULT_ENDPOINT;
  const target = parseEndpoint(endpoint);
  const decision = proxyFor(endpoint, deps.env);
  const proxy = decision.kind === 'proxy' ? decision.proxy : undefined;
  const row = await step(deps, 'proxy', () => checkProxy(decision, target.host));
  const reach: Target =
    proxy === undefined
      ? target
      : { host: proxy.url.hostname.replace(/^\[(.*)\]$/, '$1'), port: proxyPort(proxy), tls: proxy.url.protocol === 'https:' };
  const dns = await step(deps, 'dns', () => checkDns(reach.host, deps));
  const conn = await step(deps, 'connection', () =>
    dns.status === 'problem'
      ? Promise.resolve(skipped('connection', reach.tls ? 'TLS' : 'connection', say.formatNeeds(`${reach.host} to resolve`)))
      : checkConnection(reach, deps),
  );
  const blocked =
    row.status === 'problem'
      ? 'a usable proxy setting'
      : dns.status === 'problem'
        ? `${reach.host} to resolve`
        : conn.status === 'problem'
          ? `a connection to ${reach.host}`
          : undefined;
  const key = await step(deps, 'api-key', () =>
    tryApiKey(options, deps.env, { endpoint, deps, ...(proxy === undefined ? {} : { proxy }), ...(blocked === undefined ? {} : { blocked }) }),
  );
  return [row, dns, conn, key];
}

function proxyPort(p: ProxyChoice): number {
  return p.url.port === '' ? (p.url.protocol === 'https:' ? 443 : 80) : Number(p.url.port);
}

function checkProxy(decision: ProxyDecision, host: string): DoctorCheck {
  const row = (status: CheckStatus, f: say.Finding): DoctorCheck => ({ id: 'proxy', name: 'proxy', status, ...f });
  if (decision.kind === 'invalid')
    return row('problem', { detail: decision.error.message, ...(decision.error.hint === undefined ? {} : { fix: decision.error.hint }) });
  if (decision.kind === 'direct') return row('ok', { detail: say.formatNoProxy(host, decision.noProxyVariable) });
  return row('ok', { detail: say.formatProxyUsed(describeProxy(decision.proxy), host) });
}

async function step<T extends DoctorCheck>(deps: DoctorDeps, id: CheckId, run: () => T | Promise<T>): Promise<T> {
  deps.onCheckStart?.(id);
  try {
    return await run();
  } catch (err) {
    // A bug in a check must not hide the others.
    return { id, name: id, status: 'problem', detail: say.formatCheckFailed((err as Error).message) } as T;
  }
}

function skipped(id: CheckId, name: string, detail: string): DoctorCheck {
  return { id, name, status: 'skipped', detail };
}

function checkNode(version: string): DoctorCheck {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1] ?? Number.NaN);
  if (major >= 20) return { id: 'node', name: 'Node.js', status: 'ok', detail: version };
  return { id: 'node', name: 'Node.js', status: 'problem', ...say.formatNodeTooOld(version) };
}

/** The version ("14.4.2") from `sox --version` ("sox:      SoX v14.4.2"). */
function parseSoxVersion(text: string): string | undefined {
  return /SoX v?(\d+(?:\.\d+)+\S*)/i.exec(text)?.[1];
}

/** The audio device drivers from `sox -h` ("AUDIO DEVICE DRIVERS: alsa pulseaudio"); [] if none. */
function parseSoxDrivers(text: string): string[] {
  const line = /^AUDIO DEVICE DRIVERS:(.*)$/m.exec(text)?.[1];
  return line === undefined
    ? []
    : line
        .trim()
        .split(/\s+/)
        .filter((d) => d !== '');
}

async function checkSox(o: DoctorOptions, deps: DoctorDeps): Promise<DoctorCheck & { soxMissing?: boolean }> {
  const run = { env: deps.env, timeoutMs: LIMITS.soxTimeoutMs, platform: deps.platform };
  const version = await deps.exec('sox', ['--version'], run);
  const sox = (status: CheckStatus, f: say.Finding): DoctorCheck => ({ id: 'sox', name: 'SoX', status, ...f });
  if (version.errorCode === 'ENOENT')
    return { ...sox('problem', { detail: say.SOX_NOT_FOUND, fix: soxInstallHint(deps.platform) }), soxMissing: true };
  if (version.code !== 0) {
    return { ...sox('problem', { detail: say.formatSoxVersionFailed(version.errorMessage), fix: soxInstallHint(deps.platform) }), soxMissing: true };
  }
  const help = await deps.exec('sox', ['-h'], run);
  const drivers = parseSoxDrivers(help.stdout);
  const found = say.formatSoxFound(parseSoxVersion(version.stdout + version.stderr), drivers);
  const problem = (f: Required<say.Finding>): DoctorCheck => sox('problem', { detail: `${found}: ${f.detail}`, fix: f.fix });
  const needed = o.device !== undefined ? neededDriver(o.device, deps.platform) : undefined;
  if (o.device !== undefined && needed !== undefined && !drivers.includes(needed))
    return problem(say.formatDriverMissing(o.device, needed, deps.platform));
  const micDrivers = MICROPHONE_DRIVERS[deps.platform];
  const noMic = say.formatNoMicrophoneDriver(deps.platform);
  if (micDrivers !== undefined && noMic !== undefined && !micDrivers.some((d) => drivers.includes(d))) return problem(noMic);
  if (deps.platform === 'linux' && !drivers.includes('pulseaudio')) return sox('ok', { detail: say.formatWithoutPulseDriver(found) });
  return sox('ok', { detail: found });
}

/** The SoX drivers that can record a microphone, per platform: one of them must be there. */
const MICROPHONE_DRIVERS: Partial<Record<NodeJS.Platform, readonly string[]>> = {
  darwin: ['coreaudio'],
  win32: ['waveaudio'],
  linux: ['pulseaudio', 'alsa'],
};

function neededDriver(device: string, platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'waveaudio' : audioDriverFor(device, platform);
}

async function checkMicrophone(o: DoctorOptions, deps: DoctorDeps): Promise<DoctorCheck> {
  const sampleRateHz = o.sampleRateHz ?? DEFAULT_SAMPLE_RATE_HZ;
  const label = o.deviceLabel ?? deviceLabel(o.device === undefined ? {} : { deviceName: o.device }, 'the default device');
  const sox = buildSoxCommand({ sampleRateHz, platform: deps.platform, env: deps.env, ...(o.device === undefined ? {} : { device: o.device }) });
  // `trim 0 1` ends the recording after one second of output (seconds, not samples: samples would count
  // at the device's rate, which SoX picks).
  const command: SoxCommand = { ...sox, args: [...sox.args, 'trim', '0', String(LIMITS.recordMs / 1000)] };
  const r = await deps.record(command, LIMITS.recordTimeoutMs);
  const expected = (sampleRateHz * 2 * LIMITS.recordMs) / 1000;
  const got = r.pcm.length - (r.pcm.length % 2);
  const ms = Math.round((got / 2 / sampleRateHz) * 1000);
  const mic = (status: CheckStatus, f: say.Finding): DoctorCheck => ({ id: 'microphone', name: 'microphone', status, ...f });
  if (r.errorCode !== undefined) return mic('problem', { detail: say.formatSoxDidNotStart(r.errorCode), fix: soxInstallHint(deps.platform) });
  if (r.timedOut && got === 0) return mic('problem', say.formatNoAudioWithin(label, LIMITS.recordTimeoutMs));
  if (r.code !== 0 && !r.timedOut) {
    const said = sanitize(lastLines(r.stderr, 3).split('\n').join(' | '));
    return mic('problem', say.formatRecordFailed(label, r.code, said, r.stderr, o.device));
  }
  if (got < expected * 0.9) return mic('problem', say.formatTooLittleAudio(label, ms, r.timedOut ? LIMITS.recordTimeoutMs : undefined));
  const pcm = r.pcm.subarray(0, got);
  const level = levelDbfs(pcm);
  const peak = peakDbfs(pcm);
  const levels = say.formatLevels(level, peak);
  if (peak <= DITHER_PEAK_DBFS) {
    const hint = formatSilenceHint({
      platform: deps.platform,
      ...(o.device === undefined ? {} : { deviceName: o.device }),
      ...(deps.env.TERM_PROGRAM === undefined ? {} : { termProgram: deps.env.TERM_PROGRAM }),
    });
    return mic('problem', say.formatDigitalSilence(label, ms, levels, hint.causes));
  }
  return mic('ok', { detail: say.formatRecorded(label, ms, levels, level < DEFAULT_SILENCE_THRESHOLD_DBFS) });
}

/** How to try a key at the token endpoint. */
export interface KeyTrial {
  endpoint: string;
  deps: Pick<DoctorDeps, 'requestToken'>;
  proxy?: ProxyChoice;
  /** What a trial needs and does not have (DNS failed...): the key is then not tried. */
  blocked?: string;
}

const keyCheck = (status: CheckStatus, f: say.Finding): DoctorCheck => ({ id: 'api-key', name: 'API key', status, ...f });

/**
 * The local checks of the credential doctor checks, chosen by resolveAuth (the run's precedence; never shown);
 * `apiKey` and `found` when there is a well-formed key to try. A --token cannot be tried without using it
 * up, so only its form is checked.
 */
function localKeyCheck(o: DoctorOptions, env: Readonly<Record<string, string | undefined>>): { check: DoctorCheck; apiKey?: string; found?: string } {
  if (o.tokenCommand !== undefined) return { check: keyCheck('skipped', { detail: say.formatTokenCommandNotRun(o.keySource ?? '--token-command') }) };
  const auth = resolveAuth(o, env);
  if (!auth.ok) {
    if (auth.reason === 'missing') return { check: keyCheck('problem', { detail: say.NO_API_KEY_FOUND, fix: NO_API_KEY_HINT }) };
    if (auth.reason === 'malformed') return { check: keyCheck('problem', { detail: auth.error.message, fix: say.formatFixSecret(auth.source) }) };
    return { check: keyCheck('problem', { detail: auth.error.message, ...(auth.error.hint === undefined ? {} : { fix: auth.error.hint }) }) };
  }
  if (auth.auth.kind === 'token') {
    const { looksLikeKey, ...finding } = say.formatTokenGiven(auth.auth.token);
    return { check: looksLikeKey ? keyCheck('problem', finding) : keyCheck('ok', { detail: finding.detail }) };
  }
  const found = say.formatKeyFound(o.keySource ?? auth.source, auth.auth.apiKey);
  return { check: keyCheck('ok', { detail: found }), apiKey: auth.auth.apiKey, found };
}

/**
 * The local checks, then a well-formed key tried at the token endpoint (unless `trial.blocked`): a short-lived
 * token, no session, nothing billed (docs/service.md#temporary-tokens).
 */
async function tryApiKey(o: DoctorOptions, env: Readonly<Record<string, string | undefined>>, trial: KeyTrial): Promise<DoctorCheck> {
  const { check, apiKey, found } = localKeyCheck(o, env);
  if (apiKey === undefined || found === undefined) return check;
  if (trial.blocked !== undefined) return keyCheck('skipped', { detail: say.formatKeyNotChecked(found, trial.blocked) });
  const url = tokenUrl(trial.endpoint);
  const answer = await trial.deps.requestToken({
    url,
    apiKey,
    timeoutMs: LIMITS.tokenTimeoutMs,
    ...(trial.proxy === undefined ? {} : { proxy: trial.proxy }),
  });
  const shownUrl = url.replace(/\?.*$/, '');
  if (!answer.ok) return keyCheck('problem', say.formatKeyUnreachable(found, shownUrl, `${answer.errorMessage} (${answer.errorCode})`, answer.hint));
  const said = scrub(errorText(answer.body), apiKey);
  const verdict = tokenVerdict(answer.status, answer.body);
  if (verdict === 'accepted') return keyCheck('ok', { detail: say.formatKeyAccepted(found) });
  if (verdict === 'refused') return keyCheck('problem', say.formatKeyRefused(found, answer.status, said));
  return keyCheck('skipped', { detail: say.formatKeyUnclear(found, shownUrl, answer.status, said) });
}

/** The token endpoint on the streaming host (docs/service.md#temporary-tokens): https:// for wss://, http:// for a ws:// test server. */
export function tokenUrl(endpoint: string): string {
  const url = new URL(endpoint);
  url.protocol = url.protocol === 'ws:' ? 'http:' : 'https:';
  url.pathname = '/v3/token';
  url.search = '?expires_in_seconds=60';
  return url.toString();
}

/**
 * What the token endpoint's answer says about the key: 200 with a token, accepted; 401 or 403, or a 422
 * about the Authorization header (docs/service.md#temporary-tokens: how the service reports a missing or unusable key), refused.
 */
export function tokenVerdict(status: number, body: string): 'accepted' | 'refused' | 'unclear' {
  if (status === 200) return /"token"\s*:\s*"/.test(body) ? 'accepted' : 'unclear';
  if (status === 401 || status === 403) return 'refused';
  if (status === 422) {
    try {
      const detail = (JSON.parse(body) as { detail?: { loc?: unknown[] }[] }).detail;
      return Array.isArray(detail) && detail.some((d) => Array.isArray(d.loc) && d.loc.some((l) => String(l).toLowerCase() === 'authorization'))
        ? 'refused'
        : 'unclear';
    } catch {
      return 'unclear';
    }
  }
  return 'unclear';
}

/** The service's own words from an error body ({"error": ...} or FastAPI's {"detail": [{msg}]}), short. */
export function errorText(body: string): string {
  let text = '';
  try {
    const parsed = JSON.parse(body) as { error?: unknown; detail?: unknown };
    if (typeof parsed.error === 'string') text = parsed.error;
    else if (Array.isArray(parsed.detail)) text = parsed.detail.map((d: { msg?: unknown }) => String(d.msg ?? '')).join('; ');
    else if (typeof parsed.detail === 'string') text = parsed.detail;
  } catch {
    text = '';
  }
  return sanitize(text).slice(0, 120);
}

function scrub(text: string, secret: string): string {
  return scrubSecrets(text, [secret]);
}

interface Target {
  host: string;
  port: number;
  tls: boolean;
}

function parseEndpoint(endpoint: string): Target {
  const url = new URL(endpoint);
  const tls = url.protocol !== 'ws:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port: url.port === '' ? (tls ? 443 : 80) : Number(url.port), tls };
}

async function checkDns(host: string, deps: DoctorDeps): Promise<DoctorCheck> {
  const result = await withTimeout(deps.lookup(host), LIMITS.dnsTimeoutMs);
  if (result.kind === 'ok')
    return {
      id: 'dns',
      name: 'DNS',
      status: 'ok',
      detail: say.formatResolved(
        host,
        result.value.map((a) => a.address),
      ),
    };
  const f =
    result.kind === 'timeout'
      ? say.formatCannotResolve(host, undefined, '', LIMITS.dnsTimeoutMs)
      : say.formatCannotResolve(host, errorCodeOf(result.error), (result.error as Error).message, LIMITS.dnsTimeoutMs);
  return { id: 'dns', name: 'DNS', status: 'problem', ...f };
}

async function checkConnection(t: Target, deps: DoctorDeps): Promise<DoctorCheck> {
  const name = t.tls ? 'TLS' : 'connection';
  const result = await withTimeout(
    deps.connect({ host: t.host, port: t.port, tls: t.tls, timeoutMs: LIMITS.connectTimeoutMs }),
    LIMITS.connectTimeoutMs + 1_000,
  );
  const r: ConnectResult =
    result.kind === 'ok'
      ? result.value
      : result.kind === 'timeout'
        ? { ok: false, errorCode: 'ETIMEDOUT' }
        : { ok: false, errorCode: errorCodeOf(result.error), errorMessage: (result.error as Error).message };
  const where = `${t.host}:${t.port}`;
  if (r.ok) return { id: 'connection', name, status: 'ok', detail: say.formatConnected(where, t.tls, r.protocol) };
  return {
    id: 'connection',
    name,
    status: 'problem',
    ...say.formatConnectFailed(where, r.errorCode ?? 'error', r.errorMessage, LIMITS.connectTimeoutMs),
  };
}

type Timed<T> = { kind: 'ok'; value: T } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

function withTimeout<T>(p: Promise<T>, ms: number): Promise<Timed<T>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ kind: 'timeout' }), ms);
    p.then(
      (value) => {
        clearTimeout(timer);
        resolve({ kind: 'ok', value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ kind: 'error', error });
      },
    );
  });
}

function errorCodeOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'error';
}

/** The real dependencies. `env` is the environment SoX and the probes run with. */
export function createDoctorDeps(o: {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  nodeVersion: string;
  exec: Exec;
}): DoctorDeps {
  return {
    ...o,
    record: (sox, timeoutMs) => recordWithSox(sox, timeoutMs, o.platform),
    lookup: (host) => dnsLookup(host, { all: true }),
    connect: connectTo,
    requestToken: (r) => requestToken(r),
  };
}

/** GET the token endpoint with the key (through the proxy's agent, if any), bounded; the body is cut at 4 KB. */
export async function requestToken(r: TokenRequest & { ca?: string | Buffer }): Promise<TokenAnswer> {
  let agent: Agent | undefined;
  try {
    agent = r.proxy === undefined ? undefined : await createProxyAgent(r.proxy);
  } catch (err) {
    return { ok: false, errorCode: errorCodeOf(err), errorMessage: (err as Error).message };
  }
  const get = r.url.startsWith('https:') ? httpsGet : httpGet;
  return new Promise((resolve) => {
    const done = (a: TokenAnswer): void => {
      clearTimeout(timer);
      req.destroy();
      resolve(a);
    };
    const req = get(
      r.url,
      { headers: { Authorization: r.apiKey }, ...(agent === undefined ? {} : { agent }), ...(r.ca === undefined ? {} : { ca: r.ca }) },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < LIMITS.tokenBodyBytes) body += chunk;
        });
        res.on('end', () => done({ ok: true, status: res.statusCode ?? 0, body }));
        res.on('error', (err) => done({ ok: false, errorCode: errorCodeOf(err), errorMessage: err.message }));
      },
    );
    const timer = setTimeout(
      () => done({ ok: false, errorCode: 'ETIMEDOUT', errorMessage: `no answer within ${r.timeoutMs / 1000} s` }),
      r.timeoutMs,
    );
    req.on('error', (err) => {
      const hint = err instanceof AppError ? err.hint : undefined;
      done({
        ok: false,
        errorCode: err instanceof AppError ? err.code : errorCodeOf(err),
        errorMessage: err.message,
        ...(hint === undefined ? {} : { hint }),
      });
    });
  });
}

/** Runs a SoX command that ends by itself, collecting stdout; SIGKILL after timeoutMs (a stuck device ignores SIGTERM). */
async function recordWithSox(sox: SoxCommand, timeoutMs: number, platform?: NodeJS.Platform): Promise<RecordResult> {
  const r = await runCommand(sox.command, sox.args, { env: sox.env, timeoutMs, ...(platform === undefined ? {} : { platform }) });
  const errorCode = r.spawnError === undefined ? undefined : (r.spawnError.code ?? 'error');
  return { pcm: r.stdout, code: r.code, stderr: r.stderr, timedOut: r.timedOut, ...(errorCode === undefined ? {} : { errorCode }) };
}

/** TCP or TLS (servername = host, certificate verified) connection test; resolves, never rejects. */
export function connectTo(o: { host: string; port: number; tls: boolean; timeoutMs: number; ca?: string | Buffer }): Promise<ConnectResult> {
  return new Promise((resolve) => {
    let socket: Socket;
    let settled = false;
    const done = (r: ConnectResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ ok: false, errorCode: 'ETIMEDOUT' }), o.timeoutMs);
    if (o.tls) {
      const isIp = /^[\d.]+$|:/.test(o.host);
      const s = tlsConnect({
        host: o.host,
        port: o.port,
        ...(isIp ? {} : { servername: o.host }),
        rejectUnauthorized: true,
        ...(o.ca === undefined ? {} : { ca: o.ca }),
      });
      socket = s;
      s.once('secureConnect', () => done({ ok: true, protocol: s.getProtocol() ?? 'TLS' }));
    } else {
      socket = netConnect({ host: o.host, port: o.port });
      socket.once('connect', () => done({ ok: true }));
    }
    socket.once('error', (err: NodeJS.ErrnoException) => done({ ok: false, errorCode: err.code ?? 'error', errorMessage: err.message }));
  });
}
