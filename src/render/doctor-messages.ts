/**
 * Every sentence `live-transcribe doctor` shows (pure): what each check found, how to fix a problem, and
 * the report as printed. doctor.ts decides; this says it.
 */
import type { DoctorCheck, DoctorReport } from '../core/doctor-report.js';
import { sanitize } from '../core/text.js';
import { API_KEYS_PAGE } from './links.js';
import { wrapLine } from './wrap.js';

/** What a check found and, for a problem, how to fix it. */
export interface Finding {
  detail: string;
  fix?: string;
}

export function formatNodeTooOld(version: string): Required<Finding> {
  return {
    detail: `${version}: live-transcribe needs Node.js 20 or newer`,
    fix: 'install Node.js 20 or newer: https://nodejs.org (or with nvm: nvm install 20)',
  };
}

// --- SoX ---------------------------------------------------------------------------------------------

export const SOX_NOT_FOUND = 'the `sox` command was not found on PATH';

export function formatSoxVersionFailed(reason: string | undefined): string {
  return `\`sox --version\` failed: ${reason ?? 'no output'}`;
}

/** "SoX 14.4.2; audio drivers: alsa pulseaudio" (`version` undefined: "unknown version"). */
export function formatSoxFound(version: string | undefined, drivers: readonly string[]): string {
  return `SoX ${version ?? 'unknown version'}; audio drivers: ${drivers.length === 0 ? 'none' : drivers.join(' ')}`;
}

const DRIVER_PACKAGES: Record<string, string> = {
  pulseaudio: 'libsox-fmt-pulse',
  alsa: 'libsox-fmt-alsa',
};

/** A driver --device needs is missing from SoX. */
export function formatDriverMissing(device: string, driver: string, platform: NodeJS.Platform): Required<Finding> {
  const pkg = DRIVER_PACKAGES[driver];
  const fix =
    platform === 'linux' && pkg !== undefined
      ? `sudo apt-get install ${pkg}   (Debian/Ubuntu; Fedora and Arch ship it with sox)`
      : `install a SoX build with the ${driver} driver`;
  return { detail: `--device ${device} needs the ${driver} driver`, fix };
}

/** The platform's microphone driver is missing from SoX; undefined when this platform has none of its own. */
export function formatNoMicrophoneDriver(platform: NodeJS.Platform): Required<Finding> | undefined {
  if (platform === 'darwin') return { detail: 'no coreaudio driver, so no microphone', fix: 'reinstall SoX: brew reinstall sox' };
  if (platform === 'win32') {
    return { detail: 'no waveaudio driver, so no microphone', fix: 'install the official SoX build for Windows: winget install ChrisBagwell.SoX' };
  }
  if (platform === 'linux') {
    return {
      detail: 'no pulseaudio or alsa driver, so no microphone',
      fix: 'sudo apt-get install libsox-fmt-pulse libsox-fmt-alsa   (Debian/Ubuntu)',
    };
  }
  return undefined;
}

export function formatWithoutPulseDriver(found: string): string {
  return `${found} (without the pulseaudio driver, --device cannot name PulseAudio/PipeWire sources: sudo apt-get install libsox-fmt-pulse)`;
}

// --- microphone --------------------------------------------------------------------------------------

export function formatSoxDidNotStart(errorCode: string): string {
  return `could not start SoX (${errorCode})`;
}

export function formatNoAudioWithin(label: string, timeoutMs: number): Required<Finding> {
  return {
    detail: `no audio from ${label} within ${timeoutMs / 1000} s`,
    fix: 'the device may be busy, asleep or waiting for a permission prompt; check it in the sound settings, or choose another with --device (see --list-devices)',
  };
}

/** SoX exited with an error; `said` is the end of its stderr on one line ('' for nothing). */
export function formatRecordFailed(label: string, code: number | null, said: string, stderr: string, device: string | undefined): Required<Finding> {
  return {
    detail: `SoX could not record from ${label} (exit code ${code ?? 'none'})${said === '' ? '' : `: ${said}`}`,
    fix: recordFailureFix(stderr, device),
  };
}

function recordFailureFix(stderr: string, device: string | undefined): string {
  if (/no default audio device/i.test(stderr))
    return 'SoX found no microphone: connect one, check the sound settings, or choose one with --device (see --list-devices)';
  if (/busy/i.test(stderr)) return 'another program holds the device: close it, or record through PulseAudio/PipeWire instead (see --list-devices)';
  if (device !== undefined) return `check the name: live-transcribe --list-devices shows the devices --device accepts`;
  return 'check the microphone in the sound settings, or choose one with --device (see --list-devices)';
}

export function formatTooLittleAudio(label: string, ms: number, timedOutAfterMs: number | undefined): Required<Finding> {
  return {
    detail: `only ${ms} ms of audio from ${label} in ${timedOutAfterMs === undefined ? '1 s' : `${timedOutAfterMs / 1000} s`}`,
    fix: 'the device delivers audio slower than real time: try another --device or --sample-rate',
  };
}

/** "level -24 dBFS, peak -21 dBFS" (-inf for digital silence). */
export function formatLevels(level: number, peak: number): string {
  return `level ${formatDb(level)}, peak ${formatDb(peak)}`;
}

function formatDb(db: number): string {
  return Number.isFinite(db) ? `${Math.round(db)} dBFS` : '-inf dBFS';
}

/** Nothing but SoX's dither: `causes` are the silence hint's, most likely first. */
export function formatDigitalSilence(label: string, ms: number, levels: string, causes: readonly string[]): Required<Finding> {
  return {
    detail: `recorded ${ms} ms from ${label}: digital silence (${levels}), i.e. no signal at all, only SoX's dither`,
    fix: [...causes, 'if the room was silent and your microphone has a noise gate, run doctor again while speaking'].join('\n'),
  };
}

export function formatRecorded(label: string, ms: number, levels: string, quiet: boolean): string {
  return quiet
    ? `recorded ${ms} ms from ${label}: very quiet (${levels}); speak during the check to test the level`
    : `recorded ${ms} ms from ${label}: ${levels}`;
}

// --- API key -----------------------------------------------------------------------------------------

/** A run would take its tokens from --token-command / token-command: doctor names it and does not run it. */
export function formatTokenCommandNotRun(source: string): string {
  return `a token command (${source}) gives a run its tokens; not run by doctor: run live-transcribe once to try it`;
}

export const NO_API_KEY_FOUND = 'no API key: ASSEMBLYAI_API_KEY is not set';

export function formatFixSecret(source: string): string {
  return `set ${source} to the key exactly as shown in your AssemblyAI dashboard`;
}

/**
 * What doctor can tell about a --token without using it: only opening a session can try a token, and
 * that would use a single-use token up (and be billed).
 */
export function formatTokenGiven(token: string): Required<Finding> & { looksLikeKey: boolean } {
  const looksLikeKey = /^[0-9a-f]{32}$/i.test(token);
  const shape = looksLikeKey
    ? ''
    : token.startsWith('AQI')
      ? ', the usual form'
      : ', an unusual form (temporary tokens are long strings starting "AQI")';
  return {
    looksLikeKey,
    detail: looksLikeKey
      ? `--token looks like an API key (32 hexadecimal characters), not a temporary token`
      : `given with --token, ${token.length} characters (not shown)${shape}; not tried: only opening a session can, which would use the token up; it works only within the time it was made for`,
    fix: 'pass an API key with --api-key or ASSEMBLYAI_API_KEY; --token takes a temporary token made from a key (GET /v3/token, see the README)',
  };
}

/** The key was tried at the token endpoint: `how` says what the service answered (never the key). */
export function formatKeyAccepted(found: string): string {
  return `${found}; accepted by the service (a 60 s token was made to check it, and not used)`;
}

export function formatKeyRefused(found: string, status: number, said: string): Required<Finding> {
  return {
    detail: `${found}; refused by the service (HTTP ${status}${said === '' ? '' : `: ${said}`})`,
    fix: `copy the key again from ${API_KEYS_PAGE} (the whole key, nothing around it); a deleted key or an account without streaming access is refused too`,
  };
}

/** The token endpoint answered something doctor cannot read as yes or no. */
export function formatKeyUnclear(found: string, url: string, status: number, said: string): string {
  return `${found}; not checked: ${url} answered HTTP ${status}${said === '' ? '' : ` (${said})`}`;
}

export function formatKeyUnreachable(found: string, url: string, why: string, hint: string | undefined): Required<Finding> {
  return {
    detail: `${found}; could not reach ${url} to check it: ${why}`,
    fix: hint ?? 'check the network connection; the DNS and connection checks say more',
  };
}

export function formatKeyNotChecked(found: string, needs: string): string {
  return `${found}; not checked with the service: ${formatNeeds(needs)}`;
}

/** A key that passed the local checks: where it was set and how long it is, never the key. */
export function formatKeyFound(source: string, key: string): string {
  const usual = /^[0-9a-f]{32}$/i.test(key) ? '' : '; unusual form (keys are usually 32 hexadecimal characters): make sure it is the whole key';
  return `set in ${source}, ${key.length} characters (not shown)${usual}`;
}

// --- network -----------------------------------------------------------------------------------------

/** The proxy row: which proxy the network checks go through, never its credentials. */
export function formatProxyUsed(described: string, host: string): string {
  return `${described} for ${host}: the checks below go through it`;
}

export function formatNoProxy(host: string, noProxyVariable: string | undefined): string {
  return noProxyVariable === undefined
    ? `none (HTTPS_PROXY is not set): ${host} is reached directly`
    : `${noProxyVariable} covers ${host}: reached directly, without the proxy`;
}

export function formatResolved(host: string, addresses: readonly string[]): string {
  const shown = addresses.slice(0, 2).join(', ') + (addresses.length > 2 ? `, +${addresses.length - 2}` : '');
  return `${host} resolves to ${shown}`;
}

/** `code` undefined: no answer within `timeoutMs`. */
export function formatCannotResolve(host: string, code: string | undefined, message: string, timeoutMs: number): Required<Finding> {
  const why =
    code === undefined
      ? `no answer within ${timeoutMs / 1000} s`
      : code === 'ENOTFOUND'
        ? 'not found (ENOTFOUND)'
        : code === 'EAI_AGAIN'
          ? 'the DNS server did not answer (EAI_AGAIN)'
          : `${code}: ${message}`;
  return {
    detail: `cannot resolve ${host}: ${why}`,
    fix: 'check the internet connection (Wi-Fi, VPN, proxy, captive portal); if you use another region or host, check --api-host',
  };
}

export function formatConnected(where: string, tls: boolean, protocol: string | undefined): string {
  return tls ? `${where} answers ${protocol ?? 'TLS'} with a valid certificate` : `${where} accepts connections (plain ws://, loopback only)`;
}

export function formatConnectFailed(where: string, code: string, message: string | undefined, timeoutMs: number): Required<Finding> {
  return { detail: `${where}: ${connectionWhy(code, message, timeoutMs)}`, fix: connectionFix(code) };
}

function connectionWhy(code: string, message: string | undefined, timeoutMs: number): string {
  switch (code) {
    case 'ETIMEDOUT':
      return `no answer within ${timeoutMs / 1000} s (ETIMEDOUT)`;
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED)';
    case 'ECONNRESET':
      return 'the connection was reset during the handshake (ECONNRESET)';
    default:
      return message === undefined ? code : `${sanitize(message)} (${code})`;
  }
}

const CERT_INTERCEPTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

function connectionFix(code: string): string {
  if (CERT_INTERCEPTED.has(code)) {
    return 'something between you and the service (a company proxy, antivirus) presents its own certificate: ask for its CA certificate and run with NODE_EXTRA_CA_CERTS=/path/to/ca.pem';
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return "check the computer's date and time";
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'the certificate is for another host: check --api-host';
  return 'a firewall or proxy may block outgoing connections on this port; if the network needs an HTTP proxy, set HTTPS_PROXY to it (README: Proxies)';
}

export function formatCheckFailed(message: string): string {
  return `the check failed unexpectedly: ${message}`;
}

export function formatNeeds(what: string): string {
  return `needs ${what}`;
}

// --- the report --------------------------------------------------------------------------------------

/** A chalk-like theme (a ChalkInstance fits; level 0 means no colour). */
export interface DoctorTheme {
  green(text: string): string;
  red(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const NAME_WIDTH = 11;

/** One check as printed: status, name, what was found, and the fix indented below it. */
export function formatDoctorCheck(check: DoctorCheck, theme: DoctorTheme, columns?: number): string {
  const status = check.status === 'ok' ? theme.green('ok     ') : check.status === 'problem' ? theme.red('problem') : theme.dim('skipped');
  const indent = ' '.repeat(2 + 7 + 2 + NAME_WIDTH + 2);
  const lines = [`  ${status}  ${check.name.padEnd(NAME_WIDTH)}  ${sanitize(check.detail)}`];
  if (check.fix !== undefined && check.status === 'problem') {
    const [first, ...rest] = check.fix.split('\n').map((l) => sanitize(l));
    lines.push(`${indent}${theme.dim('fix:')} ${first ?? ''}`, ...rest.map((l) => `${indent}     ${l}`));
  }
  // Issue 24.9: on a terminal, rows wrap on words, continuing under the detail (and the fix's text).
  if (columns !== undefined) return `${lines.map((l, i) => wrapLine(l, columns, i === 0 ? indent : `${indent}     `)).join('\n')}\n`;
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

/** What the CLI says before the microphone check records. */
export const DOCTOR_RECORDING_NOTICE = 'Recording 1 s from the microphone: say something...\n';
