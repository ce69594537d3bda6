/**
 * `live-transcribe doctor`: checks everything a session needs, each with ok / problem / skipped, what
 * was found, and how to fix a problem. Useful offline: every check is bounded and says why it failed.
 *
 * All I/O comes in through DoctorDeps (createDoctorDeps() gives the real ones), so runDoctor() is tested
 * with fakes; formatDoctorReport() is pure. Nothing here prints, exits or reads `process`; the API key is
 * never part of any output.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { connect as netConnect, type Socket } from 'node:net';
import { spawn } from 'node:child_process';
import { connect as tlsConnect } from 'node:tls';
import { DITHER_PEAK_DBFS, DEFAULT_SILENCE_THRESHOLD_DBFS, levelDbfs, peakDbfs } from './audio/level.js';
import { audioDriverFor, buildSoxCommand, soxInstallHint, type SoxCommand } from './audio/sox-command.js';
import { formatSilenceHint } from './devices/silence-hint.js';
import { definedOnly, type Exec } from './exec.js';
import { sanitize } from './render/text.js';
import { secretProblem } from './config.js';

export type CheckStatus = 'ok' | 'problem' | 'skipped';
export type CheckId = 'node' | 'sox' | 'microphone' | 'api-key' | 'dns' | 'connection';

export interface DoctorCheck {
  id: CheckId;
  /** Short label: "Node.js", "SoX", "microphone"... */
  name: string;
  status: CheckStatus;
  /** What was found (never a secret). */
  detail: string;
  /** How to fix a problem; may span lines. */
  fix?: string;
}

export interface DoctorReport {
  checks: DoctorCheck[];
  /** True when no check is a problem (skipped checks do not fail the report). */
  ok: boolean;
}

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
  /** Called as each check starts: the CLI can say "recording 1 s: say something". */
  onCheckStart?: (id: CheckId) => void;
  /** Called as each check finishes, in report order: the CLI can print the report progressively. */
  onCheck?: (check: DoctorCheck) => void;
}

export const DEFAULT_ENDPOINT = 'wss://streaming.assemblyai.com/v3/ws';
const SOX_TIMEOUT_MS = 5_000;
const RECORD_MS = 1_000;
/** Start-up of the device (PulseAudio ~0.2 s, Bluetooth and macOS permission prompts longer) plus 1 s. */
const RECORD_TIMEOUT_MS = 6_000;
const DNS_TIMEOUT_MS = 5_000;
const CONNECT_TIMEOUT_MS = 5_000;

/** Runs every check (local and network ones concurrently) and resolves with the report; never rejects. */
export async function runDoctor(options: DoctorOptions, deps: DoctorDeps): Promise<DoctorReport> {
  const local = (async () => {
    const node = await step(deps, 'node', () => checkNode(deps.nodeVersion));
    const sox = await step(deps, 'sox', () => checkSox(options, deps));
    const mic = await step(deps, 'microphone', () =>
      sox.status === 'problem' && sox.soxMissing
        ? Promise.resolve(skipped('microphone', 'microphone', 'needs SoX'))
        : checkMicrophone(options, deps),
    );
    return [node, sox, mic];
  })();
  const network = (async () => {
    const key = await step(deps, 'api-key', () => checkApiKey(options, deps.env));
    const target = parseEndpoint(options.endpoint ?? DEFAULT_ENDPOINT);
    const dns = await step(deps, 'dns', () => checkDns(target.host, deps));
    const conn = await step(deps, 'connection', () =>
      dns.status === 'problem'
        ? Promise.resolve(skipped('connection', target.tls ? 'TLS' : 'connection', `needs ${target.host} to resolve`))
        : checkConnection(target, deps),
    );
    return [key, dns, conn];
  })();
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

async function step<T extends DoctorCheck>(deps: DoctorDeps, id: CheckId, run: () => T | Promise<T>): Promise<T> {
  deps.onCheckStart?.(id);
  try {
    return await run();
  } catch (err) {
    // A bug in a check must not hide the others.
    return { id, name: id, status: 'problem', detail: `the check failed unexpectedly: ${(err as Error).message}` } as T;
  }
}

function skipped(id: CheckId, name: string, detail: string): DoctorCheck {
  return { id, name, status: 'skipped', detail };
}

export function checkNode(version: string): DoctorCheck {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1] ?? Number.NaN);
  if (major >= 20) return { id: 'node', name: 'Node.js', status: 'ok', detail: version };
  return {
    id: 'node',
    name: 'Node.js',
    status: 'problem',
    detail: `${version}: live-transcribe needs Node.js 20 or newer`,
    fix: 'install Node.js 20 or newer: https://nodejs.org (or with nvm: nvm install 20)',
  };
}

/** The version ("14.4.2") from `sox --version` ("sox:      SoX v14.4.2"). */
export function parseSoxVersion(text: string): string | undefined {
  return /SoX v?(\d+(?:\.\d+)+\S*)/i.exec(text)?.[1];
}

/** The audio device drivers from `sox -h` ("AUDIO DEVICE DRIVERS: alsa pulseaudio"); [] if none. */
export function parseSoxDrivers(text: string): string[] {
  const line = /^AUDIO DEVICE DRIVERS:(.*)$/m.exec(text)?.[1];
  return line === undefined ? [] : line.trim().split(/\s+/).filter((d) => d !== '');
}

const DRIVER_PACKAGES: Record<string, string> = {
  pulseaudio: 'libsox-fmt-pulse',
  alsa: 'libsox-fmt-alsa',
};

async function checkSox(o: DoctorOptions, deps: DoctorDeps): Promise<DoctorCheck & { soxMissing?: boolean }> {
  const env = deps.env;
  const version = await deps.exec('sox', ['--version'], { env, timeoutMs: SOX_TIMEOUT_MS });
  if (version.errorCode === 'ENOENT') {
    return { id: 'sox', name: 'SoX', status: 'problem', detail: 'the `sox` command was not found on PATH', fix: soxInstallHint(deps.platform), soxMissing: true };
  }
  if (version.code !== 0) {
    return { id: 'sox', name: 'SoX', status: 'problem', detail: `\`sox --version\` failed: ${version.errorMessage ?? 'no output'}`, fix: soxInstallHint(deps.platform), soxMissing: true };
  }
  const v = parseSoxVersion(version.stdout + version.stderr) ?? 'unknown version';
  const help = await deps.exec('sox', ['-h'], { env, timeoutMs: SOX_TIMEOUT_MS });
  const drivers = parseSoxDrivers(help.stdout);
  const found = `SoX ${v}; audio drivers: ${drivers.length === 0 ? 'none' : drivers.join(' ')}`;
  const needed = o.device !== undefined ? neededDriver(o.device, deps.platform) : undefined;
  const problem = (detail: string, fix: string): DoctorCheck => ({ id: 'sox', name: 'SoX', status: 'problem', detail: `${found}: ${detail}`, fix });
  if (needed !== undefined && !drivers.includes(needed)) {
    return problem(`--device ${o.device} needs the ${needed} driver`, driverFix(needed, deps.platform));
  }
  if (deps.platform === 'darwin' && !drivers.includes('coreaudio')) return problem('no coreaudio driver, so no microphone', 'reinstall SoX: brew reinstall sox');
  if (deps.platform === 'win32' && !drivers.includes('waveaudio')) return problem('no waveaudio driver, so no microphone', 'install the official SoX build for Windows: winget install ChrisBagwell.SoX');
  if (deps.platform === 'linux' && !drivers.includes('pulseaudio') && !drivers.includes('alsa')) {
    return problem('no pulseaudio or alsa driver, so no microphone', 'sudo apt-get install libsox-fmt-pulse libsox-fmt-alsa   (Debian/Ubuntu)');
  }
  if (deps.platform === 'linux' && !drivers.includes('pulseaudio')) {
    return { id: 'sox', name: 'SoX', status: 'ok', detail: `${found} (without the pulseaudio driver, --device cannot name PulseAudio/PipeWire sources: sudo apt-get install libsox-fmt-pulse)` };
  }
  return { id: 'sox', name: 'SoX', status: 'ok', detail: found };
}

function neededDriver(device: string, platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'waveaudio' : audioDriverFor(device, platform);
}

function driverFix(driver: string, platform: NodeJS.Platform): string {
  const pkg = DRIVER_PACKAGES[driver];
  if (platform === 'linux' && pkg !== undefined) return `sudo apt-get install ${pkg}   (Debian/Ubuntu; Fedora and Arch ship it with sox)`;
  return `install a SoX build with the ${driver} driver`;
}

async function checkMicrophone(o: DoctorOptions, deps: DoctorDeps): Promise<DoctorCheck> {
  const sampleRateHz = o.sampleRateHz ?? 16_000;
  const label = o.deviceLabel ?? (o.device === undefined ? 'the default device' : `"${sanitize(o.device)}"`);
  const sox = buildSoxCommand({ sampleRateHz, platform: deps.platform, env: deps.env, ...(o.device === undefined ? {} : { device: o.device }) });
  // `trim 0 1` ends the recording after one second of output (seconds, not samples: samples would count
  // at the device's rate, which SoX picks).
  const command: SoxCommand = { ...sox, args: [...sox.args, 'trim', '0', String(RECORD_MS / 1000)] };
  const r = await deps.record(command, RECORD_TIMEOUT_MS);
  const expected = (sampleRateHz * 2 * RECORD_MS) / 1000;
  const got = r.pcm.length - (r.pcm.length % 2);
  const ms = Math.round((got / 2 / sampleRateHz) * 1000);
  const mic = (status: CheckStatus, detail: string, fix?: string): DoctorCheck => ({ id: 'microphone', name: 'microphone', status, detail, ...(fix === undefined ? {} : { fix }) });
  const stderrTail = sanitize(r.stderr.trim().split(/\r?\n/).slice(-3).join(' | '));
  if (r.errorCode !== undefined) return mic('problem', `could not start SoX (${r.errorCode})`, soxInstallHint(deps.platform));
  if (r.timedOut && got === 0) {
    return mic('problem', `no audio from ${label} within ${RECORD_TIMEOUT_MS / 1000} s`, 'the device may be busy, asleep or waiting for a permission prompt; check it in the sound settings, or choose another with --device (see --list-devices)');
  }
  if (r.code !== 0 && !r.timedOut) {
    return mic('problem', `SoX could not record from ${label} (exit code ${r.code ?? 'none'})${stderrTail === '' ? '' : `: ${stderrTail}`}`, recordFailureFix(r.stderr, o.device));
  }
  if (got < expected * 0.9) {
    return mic('problem', `only ${ms} ms of audio from ${label} in ${r.timedOut ? `${RECORD_TIMEOUT_MS / 1000} s` : '1 s'}`, 'the device delivers audio slower than real time: try another --device or --sample-rate');
  }
  const pcm = r.pcm.subarray(0, got);
  const level = levelDbfs(pcm);
  const peak = peakDbfs(pcm);
  const levels = `level ${formatDb(level)}, peak ${formatDb(peak)}`;
  if (peak <= DITHER_PEAK_DBFS) {
    const hint = formatSilenceHint({
      platform: deps.platform,
      ...(o.device === undefined ? {} : { deviceName: o.device }),
      ...(deps.env.TERM_PROGRAM === undefined ? {} : { termProgram: deps.env.TERM_PROGRAM }),
    });
    return mic(
      'problem',
      `recorded ${ms} ms from ${label}: digital silence (${levels}), i.e. no signal at all, only SoX's dither`,
      [...hint.causes, 'if the room was silent and your microphone has a noise gate, run doctor again while speaking'].join('\n'),
    );
  }
  if (level < DEFAULT_SILENCE_THRESHOLD_DBFS) {
    return mic('ok', `recorded ${ms} ms from ${label}: very quiet (${levels}); speak during the check to test the level`);
  }
  return mic('ok', `recorded ${ms} ms from ${label}: ${levels}`);
}

function recordFailureFix(stderr: string, device: string | undefined): string {
  if (/no default audio device/i.test(stderr)) return 'SoX found no microphone: connect one, check the sound settings, or choose one with --device (see --list-devices)';
  if (/busy/i.test(stderr)) return 'another program holds the device: close it, or record through PulseAudio/PipeWire instead (see --list-devices)';
  if (device !== undefined) return `check the name: live-transcribe --list-devices shows the devices --device accepts`;
  return 'check the microphone in the sound settings, or choose one with --device (see --list-devices)';
}

function formatDb(db: number): string {
  return Number.isFinite(db) ? `${Math.round(db)} dBFS` : '-inf dBFS';
}

export function checkApiKey(o: DoctorOptions, env: Readonly<Record<string, string | undefined>>): DoctorCheck {
  const name = 'API key';
  const [value, source] =
    o.token !== undefined ? [o.token, '--token'] : o.apiKey !== undefined ? [o.apiKey, '--api-key'] : [env.ASSEMBLYAI_API_KEY, 'ASSEMBLYAI_API_KEY'];
  if (value === undefined || value === '') {
    return {
      id: 'api-key',
      name,
      status: 'problem',
      detail: 'no API key: ASSEMBLYAI_API_KEY is not set',
      fix: 'get a key at https://www.assemblyai.com/app/api-keys, then: export ASSEMBLYAI_API_KEY=<your key>',
    };
  }
  const problem = secretProblem(value);
  if (problem !== undefined) return { id: 'api-key', name, status: 'problem', detail: `${source} ${problem}`, fix: `set ${source} to the key exactly as shown in your AssemblyAI dashboard` };
  if (o.token !== undefined) return { id: 'api-key', name, status: 'ok', detail: 'a temporary token is given with --token (not shown); tokens expire, keys do not' };
  const usual = /^[0-9a-f]{32}$/i.test(value.trim()) ? '' : '; unusual form (keys are usually 32 hexadecimal characters): make sure it is the whole key';
  return { id: 'api-key', name, status: 'ok', detail: `set in ${source}, ${value.trim().length} characters (not shown)${usual}` };
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
  const result = await withTimeout(deps.lookup(host), DNS_TIMEOUT_MS);
  if (result.kind === 'ok') {
    const addresses = result.value.map((a) => a.address);
    const shown = addresses.slice(0, 2).join(', ') + (addresses.length > 2 ? `, +${addresses.length - 2}` : '');
    return { id: 'dns', name: 'DNS', status: 'ok', detail: `${host} resolves to ${shown}` };
  }
  const code = result.kind === 'timeout' ? 'timeout' : errorCodeOf(result.error);
  const why =
    result.kind === 'timeout'
      ? `no answer within ${DNS_TIMEOUT_MS / 1000} s`
      : code === 'ENOTFOUND'
        ? 'not found (ENOTFOUND)'
        : code === 'EAI_AGAIN'
          ? 'the DNS server did not answer (EAI_AGAIN)'
          : `${code}: ${(result.error as Error).message}`;
  return {
    id: 'dns',
    name: 'DNS',
    status: 'problem',
    detail: `cannot resolve ${host}: ${why}`,
    fix: 'check the internet connection (Wi-Fi, VPN, proxy, captive portal); if you use another region or host, check --api-host',
  };
}

async function checkConnection(t: Target, deps: DoctorDeps): Promise<DoctorCheck> {
  const name = t.tls ? 'TLS' : 'connection';
  const result = await withTimeout(deps.connect({ host: t.host, port: t.port, tls: t.tls, timeoutMs: CONNECT_TIMEOUT_MS }), CONNECT_TIMEOUT_MS + 1_000);
  const r: ConnectResult =
    result.kind === 'ok' ? result.value : result.kind === 'timeout' ? { ok: false, errorCode: 'ETIMEDOUT' } : { ok: false, errorCode: errorCodeOf(result.error), errorMessage: (result.error as Error).message };
  const where = `${t.host}:${t.port}`;
  if (r.ok) {
    return { id: 'connection', name, status: 'ok', detail: t.tls ? `${where} answers ${r.protocol ?? 'TLS'} with a valid certificate` : `${where} accepts connections (plain ws://, loopback only)` };
  }
  const code = r.errorCode ?? 'error';
  const detail = `${where}: ${connectionWhy(code, r.errorMessage)}`;
  return { id: 'connection', name, status: 'problem', detail, fix: connectionFix(code) };
}

function connectionWhy(code: string, message: string | undefined): string {
  switch (code) {
    case 'ETIMEDOUT':
      return `no answer within ${CONNECT_TIMEOUT_MS / 1000} s (ETIMEDOUT)`;
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED)';
    case 'ECONNRESET':
      return 'the connection was reset during the handshake (ECONNRESET)';
    default:
      return message === undefined ? code : `${sanitize(message)} (${code})`;
  }
}

const CERT_INTERCEPTED = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);

function connectionFix(code: string): string {
  if (CERT_INTERCEPTED.has(code)) {
    return 'something between you and the service (a company proxy, antivirus) presents its own certificate: ask for its CA certificate and run with NODE_EXTRA_CA_CERTS=/path/to/ca.pem';
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return "check the computer's date and time";
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'the certificate is for another host: check --api-host';
  return 'a firewall or proxy may block outgoing connections on this port; live-transcribe connects directly (HTTPS_PROXY is not used)';
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

/** A chalk-like theme (a ChalkInstance fits; level 0 means no colour). */
export interface DoctorTheme {
  green(text: string): string;
  red(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const NAME_WIDTH = 11;

/** One check as printed: status, name, what was found, and the fix indented below it. */
export function formatDoctorCheck(check: DoctorCheck, theme: DoctorTheme): string {
  const status = check.status === 'ok' ? theme.green('ok     ') : check.status === 'problem' ? theme.red('problem') : theme.dim('skipped');
  const indent = ' '.repeat(2 + 7 + 2 + NAME_WIDTH + 2);
  const lines = [`  ${status}  ${check.name.padEnd(NAME_WIDTH)}  ${sanitize(check.detail)}`];
  if (check.fix !== undefined && check.status === 'problem') {
    const [first, ...rest] = check.fix.split('\n').map((l) => sanitize(l));
    lines.push(`${indent}${theme.dim('fix:')} ${first ?? ''}`, ...rest.map((l) => `${indent}     ${l}`));
  }
  return `${lines.join('\n')}\n`;
}

/** The verdict line: all passed, or which checks found a problem. */
export function formatDoctorVerdict(report: DoctorReport, theme: DoctorTheme): string {
  const problems = report.checks.filter((c) => c.status === 'problem');
  const verdict =
    problems.length === 0
      ? theme.green('All checks passed.')
      : theme.red(`${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}: ${problems.map((c) => c.name).join(', ')}.`);
  return `${theme.bold(verdict)}\n`;
}

/** The whole report, ending with a verdict line. */
export function formatDoctorReport(report: DoctorReport, theme: DoctorTheme): string {
  return `${report.checks.map((c) => formatDoctorCheck(c, theme)).join('')}\n${formatDoctorVerdict(report, theme)}`;
}

/** The real dependencies. `env` is the environment SoX and the probes run with. */
export function createDoctorDeps(o: { platform: NodeJS.Platform; env: Readonly<Record<string, string | undefined>>; nodeVersion: string; exec: Exec }): DoctorDeps {
  return { ...o, record: recordWithSox, lookup: (host) => dnsLookup(host, { all: true }), connect: connectTo };
}

/** Runs a SoX command that ends by itself, collecting stdout; SIGKILL after timeoutMs (a stuck device ignores SIGTERM). */
export function recordWithSox(sox: SoxCommand, timeoutMs: number): Promise<RecordResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    let errorCode: string | undefined;
    const child = spawn(sox.command, sox.args, { env: definedOnly(sox.env), stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 16_384) stderr += d.toString('utf8');
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      errorCode = err.code ?? 'error';
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ pcm: Buffer.concat(chunks), code, stderr, timedOut, ...(errorCode === undefined ? {} : { errorCode }) });
    });
  });
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
