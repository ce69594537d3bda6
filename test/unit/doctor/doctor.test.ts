import { describe, expect, it } from 'vitest';
import {
  runDoctor,
  type DoctorOptions,
  type CheckId,
  type ConnectResult,
  type DoctorCheck,
  type DoctorDeps,
  type DoctorReport,
  type RecordResult,
  type TokenAnswer,
  type TokenRequest,
  tokenUrl,
  tokenVerdict,
} from '../../../src/doctor/doctor.js';
import { formatDoctorCheck, formatDoctorVerdict, type DoctorTheme } from '../../../src/render/doctor-messages.js';
import type { SoxCommand } from '../../../src/audio/sox-command.js';
import { secretProblem } from '../../../src/options/resolve.js';
import type { ExecResult } from '../../../src/system/exec.js';

const KEY = '0123456789abcdef0123456789abcdef';
const plain = { green: (t: string) => t, red: (t: string) => t, dim: (t: string) => t, bold: (t: string) => t };

function tone(amplitude: number, samples = 16000): Buffer {
  const b = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) b.writeInt16LE(Math.round(amplitude * Math.sin(i / 5)), i * 2);
  return b;
}

function dithered(samples = 16000): Buffer {
  const b = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) b.writeInt16LE([0, 1, 0, -1][i % 4]!, i * 2);
  return b;
}

interface FakeOptions {
  soxVersion?: Partial<ExecResult>;
  soxHelp?: string;
  record?: Partial<RecordResult>;
  lookup?: () => Promise<{ address: string; family: number }[]>;
  connect?: ConnectResult | (() => Promise<ConnectResult>);
  token?: TokenAnswer;
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  nodeVersion?: string;
}

function fakeDeps(o: FakeOptions = {}) {
  const calls = {
    exec: [] as string[],
    record: [] as SoxCommand[],
    lookup: [] as string[],
    connect: [] as unknown[],
    started: [] as CheckId[],
    reported: [] as DoctorCheck[],
    token: [] as TokenRequest[],
  };
  const deps: DoctorDeps = {
    platform: o.platform ?? 'linux',
    env: o.env ?? { PATH: '/usr/bin', ASSEMBLYAI_API_KEY: KEY },
    nodeVersion: o.nodeVersion ?? 'v20.20.2',
    exec: async (command, args) => {
      const line = [command, ...args].join(' ');
      calls.exec.push(line);
      if (line === 'sox --version') return { code: 0, stdout: 'sox:      SoX v14.4.2\n', stderr: '', ...o.soxVersion };
      if (line === 'sox -h')
        return { code: 0, stdout: o.soxHelp ?? 'SoX v14.4.2\n\nAUDIO DEVICE DRIVERS: alsa pulseaudio\n\nEFFECTS: trim\n', stderr: '' };
      return { code: null, stdout: '', stderr: '', errorCode: 'ENOENT' };
    },
    record: async (sox) => {
      calls.record.push(sox);
      return { pcm: tone(3000), code: 0, stderr: '', timedOut: false, ...o.record };
    },
    lookup: async (host) => {
      calls.lookup.push(host);
      return o.lookup ? o.lookup() : [{ address: '203.0.113.7', family: 4 }];
    },
    connect: async (c) => {
      calls.connect.push(c);
      if (typeof o.connect === 'function') return o.connect();
      return o.connect ?? { ok: true, protocol: 'TLSv1.3' };
    },
    requestToken: async (r) => {
      calls.token.push(r);
      return o.token ?? { ok: true, status: 200, body: '{"token":"AQIxyz","expires_in_seconds":60}' };
    },
    onCheckStart: (id) => calls.started.push(id),
    onCheck: (c) => calls.reported.push(c),
  };
  return { deps, calls };
}

const byId = (checks: DoctorCheck[], id: CheckId): DoctorCheck => checks.find((c) => c.id === id)!;

describe('runDoctor', () => {
  it('passes everything on a healthy machine, in a fixed order, reporting progress', async () => {
    const { deps, calls } = fakeDeps();
    const report = await runDoctor({}, deps);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['node', 'ok'],
      ['sox', 'ok'],
      ['microphone', 'ok'],
      ['typing', 'skipped'],
      ['proxy', 'ok'],
      ['dns', 'ok'],
      ['connection', 'ok'],
      ['api-key', 'ok'],
    ]);
    expect(calls.reported).toEqual(report.checks);
    expect(new Set(calls.started)).toEqual(new Set(['node', 'sox', 'microphone', 'typing', 'proxy', 'dns', 'connection', 'api-key']));
    expect(byId(report.checks, 'proxy').detail).toBe('none (HTTPS_PROXY is not set): streaming.assemblyai.com is reached directly');
    expect(byId(report.checks, 'api-key').detail).toBe(
      'set in ASSEMBLYAI_API_KEY, 32 characters (not shown); accepted by the service (a 60 s token was made to check it, and not used)',
    );
    expect(calls.token).toEqual([{ url: 'https://streaming.assemblyai.com/v3/token?expires_in_seconds=60', apiKey: KEY, timeoutMs: 8000 }]);
    expect(byId(report.checks, 'sox').detail).toBe('SoX 14.4.2; audio drivers: alsa pulseaudio');
    expect(byId(report.checks, 'microphone').detail).toBe('recorded 1000 ms from the default device: level -24 dBFS, peak -21 dBFS');
    expect(byId(report.checks, 'dns').detail).toBe('streaming.assemblyai.com resolves to 203.0.113.7');
    expect(byId(report.checks, 'connection')).toMatchObject({
      name: 'TLS',
      detail: 'streaming.assemblyai.com:443 answers TLSv1.3 with a valid certificate',
    });
    expect(calls.connect).toEqual([{ host: 'streaming.assemblyai.com', port: 443, tls: true, timeoutMs: 5000 }]);
  });

  it('records 1 s with the command live-transcribe uses, for the chosen device', async () => {
    const { deps, calls } = fakeDeps();
    await runDoctor({ device: 'virtmic.monitor', sampleRateHz: 16000 }, deps);
    const [sox] = calls.record;
    expect(sox?.command).toBe('sox');
    expect(sox?.args.slice(-4)).toEqual(['-', 'trim', '0', '1']);
    expect(sox?.args).toContain('raw');
    expect(sox?.env).toMatchObject({ AUDIODEV: 'virtmic.monitor', AUDIODRIVER: 'pulseaudio' });
  });

  it('reports digital silence as a problem, with the platform causes', async () => {
    const { deps } = fakeDeps({
      record: { pcm: dithered() },
      platform: 'darwin',
      env: { ASSEMBLYAI_API_KEY: KEY, TERM_PROGRAM: 'iTerm.app' },
      soxHelp: 'AUDIO DEVICE DRIVERS: coreaudio\n',
    });
    const report = await runDoctor({}, deps);
    const mic = byId(report.checks, 'microphone');
    expect(report.ok).toBe(false);
    expect(mic.status).toBe('problem');
    expect(mic.detail).toBe(
      "recorded 1000 ms from the default device: digital silence (level -93 dBFS, peak -90 dBFS), i.e. no signal at all, only SoX's dither",
    );
    expect(mic.fix).toMatch(/^macOS gives silence to apps without microphone permission: .*allow iTerm/);
    expect(mic.fix).toMatch(/noise gate, run doctor again while speaking$/);
  });

  it('calls a quiet but real signal ok, with advice', async () => {
    const { deps } = fakeDeps({ record: { pcm: tone(20) } });
    const mic = byId((await runDoctor({}, deps)).checks, 'microphone');
    expect(mic.status).toBe('ok');
    expect(mic.detail).toMatch(/very quiet .*speak during the check/);
  });

  it('explains SoX failures: not installed (and skips the recording), a failing device, a stall, a short read', async () => {
    const missing = fakeDeps({ soxVersion: { code: null, errorCode: 'ENOENT' } });
    const r1 = await runDoctor({}, missing.deps);
    expect(byId(r1.checks, 'sox')).toMatchObject({ status: 'problem', detail: 'the `sox` command was not found on PATH' });
    expect(byId(r1.checks, 'sox').fix).toContain('sudo apt-get install sox libsox-fmt-pulse');
    expect(byId(r1.checks, 'microphone')).toEqual({ id: 'microphone', name: 'microphone', status: 'skipped', detail: 'needs SoX' });
    expect(missing.calls.record).toEqual([]);

    const failing = fakeDeps({
      record: { pcm: Buffer.alloc(0), code: 1, stderr: 'ALSA lib x\nsox FAIL sox: Sorry, there is no default audio device configured\n' },
    });
    const mic2 = byId((await runDoctor({}, failing.deps)).checks, 'microphone');
    expect(mic2.detail).toBe(
      'SoX could not record from the default device (exit code 1): ALSA lib x | sox FAIL sox: Sorry, there is no default audio device configured',
    );
    expect(mic2.fix).toMatch(/^SoX found no microphone/);

    const stalled = fakeDeps({ record: { pcm: Buffer.alloc(0), code: null, timedOut: true } });
    expect(byId((await runDoctor({ device: 'pipe' }, stalled.deps)).checks, 'microphone').detail).toBe('no audio from "pipe" within 6 s');

    const short = fakeDeps({ record: { pcm: tone(3000, 4000), code: null, timedOut: true } });
    expect(byId((await runDoctor({ deviceLabel: '"Yeti"' }, short.deps)).checks, 'microphone').detail).toBe(
      'only 250 ms of audio from "Yeti" in 6 s',
    );
  });

  it('checks that SoX has the driver the device needs', async () => {
    const noPulse = fakeDeps({ soxHelp: 'AUDIO DEVICE DRIVERS: alsa\n' });
    const sox = byId((await runDoctor({ device: 'alsa_input.usb-mic' }, noPulse.deps)).checks, 'sox');
    expect(sox).toMatchObject({
      status: 'problem',
      detail: 'SoX 14.4.2; audio drivers: alsa: --device alsa_input.usb-mic needs the pulseaudio driver',
    });
    expect(sox.fix).toMatch(/libsox-fmt-pulse/);

    const defaultOnAlsa = byId((await runDoctor({}, noPulse.deps)).checks, 'sox');
    expect(defaultOnAlsa.status).toBe('ok');
    expect(defaultOnAlsa.detail).toMatch(/without the pulseaudio driver/);

    const none = byId((await runDoctor({}, fakeDeps({ soxHelp: 'AUDIO DEVICE DRIVERS:\n' }).deps)).checks, 'sox');
    expect(none).toMatchObject({ status: 'problem', detail: 'SoX 14.4.2; audio drivers: none: no pulseaudio or alsa driver, so no microphone' });

    const win = byId(
      (await runDoctor({ device: 'USB Mic' }, fakeDeps({ platform: 'win32', soxHelp: 'AUDIO DEVICE DRIVERS: waveaudio\n' }).deps)).checks,
      'sox',
    );
    expect(win.status).toBe('ok');
  });

  it('reports DNS failure as a problem with a fix, and skips TLS', async () => {
    const offline = fakeDeps({
      lookup: () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND streaming.assemblyai.com'), { code: 'ENOTFOUND' })),
    });
    const report = await runDoctor({}, offline.deps);
    expect(byId(report.checks, 'dns')).toEqual({
      id: 'dns',
      name: 'DNS',
      status: 'problem',
      detail: 'cannot resolve streaming.assemblyai.com: not found (ENOTFOUND)',
      fix: 'check the internet connection (Wi-Fi, VPN, proxy, captive portal); if you use another region or host, check --api-host',
    });
    expect(byId(report.checks, 'connection')).toEqual({
      id: 'connection',
      name: 'TLS',
      status: 'skipped',
      detail: 'needs streaming.assemblyai.com to resolve',
    });
    expect(offline.calls.connect).toEqual([]);
    expect(report.ok).toBe(false);
  });

  it('bounds a DNS lookup that never answers', async () => {
    const { deps } = fakeDeps({ lookup: () => new Promise(() => {}) });
    // Bounded: without the 5 s limit this lookup never settles and the test times out (15 s).
    const report = await runDoctor({}, deps);
    expect(byId(report.checks, 'dns').detail).toBe('cannot resolve streaming.assemblyai.com: no answer within 5 s');
  }, 15_000);

  it('explains TLS failures: interception, a wrong clock, a refused or silent port', async () => {
    const fixOf = async (connect: ConnectResult) => byId((await runDoctor({}, fakeDeps({ connect }).deps)).checks, 'connection');
    const intercepted = await fixOf({
      ok: false,
      errorCode: 'SELF_SIGNED_CERT_IN_CHAIN',
      errorMessage: 'self-signed certificate in certificate chain',
    });
    expect(intercepted.detail).toBe('streaming.assemblyai.com:443: self-signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN)');
    expect(intercepted.fix).toMatch(/NODE_EXTRA_CA_CERTS/);
    expect((await fixOf({ ok: false, errorCode: 'CERT_HAS_EXPIRED', errorMessage: 'certificate has expired' })).fix).toMatch(/date and time/);
    expect((await fixOf({ ok: false, errorCode: 'ECONNREFUSED' })).detail).toBe('streaming.assemblyai.com:443: connection refused (ECONNREFUSED)');
    expect((await fixOf({ ok: false, errorCode: 'ETIMEDOUT' })).detail).toBe('streaming.assemblyai.com:443: no answer within 5 s (ETIMEDOUT)');
  });

  it('uses --api-host: another region, or a plain ws:// test server with a TCP check', async () => {
    const eu = fakeDeps();
    await runDoctor({ endpoint: 'wss://streaming.eu.assemblyai.com/v3/ws' }, eu.deps);
    expect(eu.calls.lookup).toEqual(['streaming.eu.assemblyai.com']);
    const local = fakeDeps({ connect: { ok: true } });
    const r = await runDoctor({ endpoint: 'ws://127.0.0.1:8123/v3/ws' }, local.deps);
    expect(local.calls.connect).toEqual([{ host: '127.0.0.1', port: 8123, tls: false, timeoutMs: 5000 }]);
    expect(byId(r.checks, 'connection')).toMatchObject({
      name: 'connection',
      status: 'ok',
      detail: '127.0.0.1:8123 accepts connections (plain ws://, loopback only)',
    });
  });

  it('turns a check that throws into a problem, and still runs the rest', async () => {
    const { deps } = fakeDeps();
    deps.record = () => Promise.reject(new Error('boom'));
    const report = await runDoctor({}, deps);
    expect(byId(report.checks, 'microphone')).toMatchObject({ status: 'problem', detail: 'the check failed unexpectedly: boom' });
    expect(report.checks).toHaveLength(8);
  });
});

/** doctor's row `id`, through runDoctor (doctor's entry point), with these options and fakes. */
async function rowOf(id: CheckId, options: DoctorOptions = {}, o: FakeOptions = {}): Promise<DoctorCheck> {
  return byId((await runDoctor(options, fakeDeps(o).deps)).checks, id);
}
/** The API key row for these options and this environment (PATH only, unless the key is in it). */
const keyRowOf = (options: DoctorOptions, env: Record<string, string | undefined>): Promise<DoctorCheck> =>
  rowOf('api-key', options, { env: { PATH: '/usr/bin', ...env } });

describe('the Node.js check', () => {
  it('wants Node 20 or newer', async () => {
    expect((await rowOf('node', {}, { nodeVersion: 'v20.0.0' })).status).toBe('ok');
    expect((await rowOf('node', {}, { nodeVersion: 'v22.3.1' })).status).toBe('ok');
    expect(await rowOf('node', {}, { nodeVersion: 'v18.19.0' })).toMatchObject({
      status: 'problem',
      detail: 'v18.19.0: live-transcribe needs Node.js 20 or newer',
    });
    expect((await rowOf('node', {}, { nodeVersion: 'garbage' })).status).toBe('problem');
  });
});

describe('the API key row / secretProblem', () => {
  it('accepts a well-formed key from the environment or --api-key, and never shows it', async () => {
    const c = await keyRowOf({}, { ASSEMBLYAI_API_KEY: KEY });
    expect(c).toEqual({
      id: 'api-key',
      name: 'API key',
      status: 'ok',
      detail: 'set in ASSEMBLYAI_API_KEY, 32 characters (not shown); accepted by the service (a 60 s token was made to check it, and not used)',
    });
    const flag = await keyRowOf({ apiKey: 'abc_DEF-123' }, {});
    expect(flag.status).toBe('ok');
    expect(flag.detail).toMatch(/^set in --api-key, 11 characters \(not shown\); unusual form/);
    expect(JSON.stringify([c, flag])).not.toContain(KEY);
    expect(JSON.stringify(flag)).not.toContain('abc_DEF-123');
  });

  it('checks a --token instead of a key: its form only, since trying it would use it up', async () => {
    const f = fakeDeps({ env: { PATH: '/usr/bin', ASSEMBLYAI_API_KEY: '' } });
    expect(byId((await runDoctor({ token: `AQI${'x'.repeat(60)}` }, f.deps)).checks, 'api-key')).toEqual({
      id: 'api-key',
      name: 'API key',
      status: 'ok',
      detail:
        'given with --token, 63 characters (not shown), the usual form; not tried: only opening a session can, which would use the token up; it works only within the time it was made for',
    });
    expect(f.calls.token).toEqual([]);
    expect((await keyRowOf({ token: 'tok123' }, {})).detail).toMatch(/an unusual form \(temporary tokens are long strings starting "AQI"\)/);
    const key = await keyRowOf({ token: KEY }, {});
    expect(key).toMatchObject({ status: 'problem', detail: '--token looks like an API key (32 hexadecimal characters), not a temporary token' });
    expect(key.fix).toMatch(/--api-key or ASSEMBLYAI_API_KEY/);
  });

  it('refuses a missing key and the usual copy-paste accidents, as the run does', async () => {
    expect(await keyRowOf({}, {})).toMatchObject({ status: 'problem', detail: 'no API key: ASSEMBLYAI_API_KEY is not set' });
    expect((await keyRowOf({}, { ASSEMBLYAI_API_KEY: '' })).status).toBe('problem');
    const cases: [string, RegExp][] = [
      ['   ', /is empty/],
      [`Bearer ${KEY}`, /starts with "Bearer "/],
      [`"${KEY}"`, /wrapped in quotes/],
      [`${KEY.slice(0, 8)} ${KEY.slice(8)}`, /spaces or quotes/],
      [`${KEY}\u200b`, /invisible or non-ASCII/],
      [`${KEY.slice(0, 5)}é${KEY.slice(6)}`, /non-ASCII/],
    ];
    for (const [value, why] of cases) {
      expect(secretProblem(value)).toMatch(why);
      const c = await keyRowOf({}, { ASSEMBLYAI_API_KEY: value });
      expect(c.status).toBe('problem');
      expect(c.detail.startsWith('ASSEMBLYAI_API_KEY ')).toBe(true);
      if (value.trim().length > 8) expect(JSON.stringify(c)).not.toContain(value.trim().slice(2, 12));
    }
    expect(secretProblem(` ${KEY}\n`)).toBeUndefined(); // surrounding whitespace is trimmed, as the run does
  });
});

describe('the SoX row: its version and drivers, as `sox --version` and `sox -h` print them', () => {
  const soxRow = (version: string, help: string) => rowOf('sox', {}, { soxVersion: { stdout: version }, soxHelp: help });
  it('reads the SoX version and drivers', async () => {
    expect((await soxRow('sox:      SoX v14.4.2\n', 'x\nAUDIO DEVICE DRIVERS: alsa pulseaudio oss\n\nEFFECTS: a b\n')).detail).toBe(
      'SoX 14.4.2; audio drivers: alsa pulseaudio oss',
    );
    expect((await soxRow('sox: SoX v14.4.2-3.5\n', 'AUDIO DEVICE DRIVERS: alsa pulseaudio\n')).detail).toBe(
      'SoX 14.4.2-3.5; audio drivers: alsa pulseaudio',
    );
    expect((await soxRow('nothing', 'AUDIO DEVICE DRIVERS: pulseaudio\n')).detail).toBe('SoX unknown version; audio drivers: pulseaudio');
    for (const help of ['AUDIO DEVICE DRIVERS:\n', '']) {
      const row = await soxRow('sox:      SoX v14.4.2\n', help);
      expect(row.status).toBe('problem');
      expect(row.detail.startsWith('SoX 14.4.2; audio drivers: none: ')).toBe(true);
    }
  });
});

/** What `live-transcribe doctor` prints of a report (cli.ts runDoctorCommand): each check as it ends, a blank line, the verdict. */
const formatDoctorReport = (report: DoctorReport, theme: DoctorTheme): string =>
  `${report.checks.map((c) => formatDoctorCheck(c, theme)).join('')}\n${formatDoctorVerdict(report, theme)}`;

describe('the printed report', () => {
  it('prints a column per field, fixes indented below problems, and a verdict', async () => {
    const { deps } = fakeDeps({
      record: { pcm: dithered() },
      lookup: () => Promise.reject(Object.assign(new Error('x'), { code: 'EAI_AGAIN' })),
    });
    const report = await runDoctor({ device: 'virtmic.monitor' }, deps);
    expect(formatDoctorReport(report, plain)).toMatchInlineSnapshot(`
      "  ok       Node.js      v20.20.2
        ok       SoX          SoX 14.4.2; audio drivers: alsa pulseaudio
        problem  microphone   recorded 1000 ms from "virtmic.monitor": digital silence (level -93 dBFS, peak -90 dBFS), i.e. no signal at all, only SoX's dither
                              fix: the source is muted or its volume is 0: check pavucontrol (Input Devices) or  pactl list sources
                                   a hardware mute switch or key is on
                                   if the room was silent and your microphone has a noise gate, run doctor again while speaking
        skipped  typing       nothing can type into this terminal; only dictate needs it
        ok       proxy        none (HTTPS_PROXY is not set): streaming.assemblyai.com is reached directly
        problem  DNS          cannot resolve streaming.assemblyai.com: the DNS server did not answer (EAI_AGAIN)
                              fix: check the internet connection (Wi-Fi, VPN, proxy, captive portal); if you use another region or host, check --api-host
        skipped  TLS          needs streaming.assemblyai.com to resolve
        skipped  API key      set in ASSEMBLYAI_API_KEY, 32 characters (not shown); not checked with the service: needs streaming.assemblyai.com to resolve

      2 problems: microphone, DNS.
      "
    `);
  });

  it('says when everything passed, and colours through the theme', async () => {
    const tagged = {
      green: (t: string) => `<g>${t}</g>`,
      red: (t: string) => `<r>${t}</r>`,
      dim: (t: string) => `<d>${t}</d>`,
      bold: (t: string) => `<b>${t}</b>`,
    };
    const report = await runDoctor({}, fakeDeps().deps);
    const out = formatDoctorReport(report, tagged);
    expect(out.endsWith('\n<b><g>All checks passed.</g></b>\n')).toBe(true);
    expect(formatDoctorCheck({ id: 'dns', name: 'DNS', status: 'problem', detail: 'x\u001b[2J', fix: 'y' }, tagged)).toBe(
      `  <r>problem</r>  DNS          x[2J\n${' '.repeat(24)}<d>fix:</d> y\n`,
    );
  });
});

describe('the API key row follows the run: both flags are refused', () => {
  it('reports --api-key with --token as the problem the run would refuse', async () => {
    expect(await keyRowOf({ apiKey: 'a', token: 'b' }, {})).toEqual({
      id: 'api-key',
      name: 'API key',
      status: 'problem',
      detail: '--api-key and --token cannot be used together',
      fix: 'give either an API key or a temporary token',
    });
  });
});

describe('the key at the token endpoint (issue 11.9)', () => {
  const keyRow = async (o: FakeOptions, options = {}) => {
    const f = fakeDeps(o);
    const report = await runDoctor(options, f.deps);
    return { row: byId(report.checks, 'api-key'), report, calls: f.calls };
  };

  it('refused: 401 or 403, or a 422 about the Authorization header; the service words, never the key', async () => {
    const { row, report } = await keyRow({ token: { ok: true, status: 401, body: `{"error":"Invalid API key ${KEY}"}` } });
    expect(row).toMatchObject({
      status: 'problem',
      detail: 'set in ASSEMBLYAI_API_KEY, 32 characters (not shown); refused by the service (HTTP 401: Invalid API key [redacted])',
    });
    expect(row.fix).toMatch(/dashboard\/api-keys/);
    expect(report.ok).toBe(false);
    expect(JSON.stringify(report)).not.toContain(KEY);
    expect((await keyRow({ token: { ok: true, status: 403, body: '' } })).row.status).toBe('problem');
    expect(tokenVerdict(422, '{"detail":[{"type":"missing","loc":["header","authorization"],"msg":"Field required"}]}')).toBe('refused');
    expect(tokenVerdict(422, '{"detail":[{"type":"greater_than_equal","loc":["query","expires_in_seconds"]}]}')).toBe('unclear');
    expect(tokenVerdict(200, '{"token":"AQI"}')).toBe('accepted');
    expect(tokenVerdict(200, 'hello')).toBe('unclear');
    expect(tokenVerdict(500, '')).toBe('unclear');
  });

  it('could not reach: a problem with why; an unclear answer: skipped, saying what came back', async () => {
    const far = await keyRow({ token: { ok: false, errorCode: 'ECONNRESET', errorMessage: 'socket hang up' } });
    expect(far.row).toMatchObject({
      status: 'problem',
      detail:
        'set in ASSEMBLYAI_API_KEY, 32 characters (not shown); could not reach https://streaming.assemblyai.com/v3/token to check it: socket hang up (ECONNRESET)',
    });
    const odd = await keyRow({ token: { ok: true, status: 404, body: '{"detail":"Not Found"}' } });
    expect(odd.row).toMatchObject({
      status: 'skipped',
      detail:
        'set in ASSEMBLYAI_API_KEY, 32 characters (not shown); not checked: https://streaming.assemblyai.com/v3/token answered HTTP 404 (Not Found)',
    });
  });

  it('not tried when DNS or the connection failed (skipped, the network rows say why); never for a --token', async () => {
    const offline = await keyRow({ lookup: () => Promise.reject(Object.assign(new Error('x'), { code: 'ENOTFOUND' })) });
    expect(offline.row).toMatchObject({
      status: 'skipped',
      detail: 'set in ASSEMBLYAI_API_KEY, 32 characters (not shown); not checked with the service: needs streaming.assemblyai.com to resolve',
    });
    expect(offline.calls.token).toEqual([]);
    const refused = await keyRow({ connect: { ok: false, errorCode: 'ECONNREFUSED' } });
    expect(refused.row.status).toBe('skipped');
    expect(refused.calls.token).toEqual([]);
    const token = await keyRow({}, { token: `AQI${'y'.repeat(40)}` });
    expect(token.row.status).toBe('ok');
    expect(token.calls.token).toEqual([]);
  });

  it('the token URL is on the streaming host: https:// for wss://, http:// for a ws:// test server', () => {
    expect(tokenUrl('wss://streaming.eu.assemblyai.com/v3/ws')).toBe('https://streaming.eu.assemblyai.com/v3/token?expires_in_seconds=60');
    expect(tokenUrl('ws://127.0.0.1:8123/v3/ws')).toBe('http://127.0.0.1:8123/v3/token?expires_in_seconds=60');
  });

  it('with HTTPS_PROXY: says which proxy, checks DNS and the connection of the proxy, and asks for the token through it', async () => {
    const env = { ASSEMBLYAI_API_KEY: KEY, HTTPS_PROXY: 'http://bob:hunter2@proxy.corp:3128' };
    const { row, report, calls } = await keyRow({ env, connect: { ok: true } });
    expect(byId(report.checks, 'proxy').detail).toBe(
      'http://proxy.corp:3128 (from HTTPS_PROXY, with credentials, not shown) for streaming.assemblyai.com: the checks below go through it',
    );
    expect(calls.lookup).toEqual(['proxy.corp']);
    expect(calls.connect).toEqual([{ host: 'proxy.corp', port: 3128, tls: false, timeoutMs: 5000 }]);
    expect(calls.token[0]?.proxy?.shown).toBe('http://proxy.corp:3128');
    expect(row.status).toBe('ok');
    expect(JSON.stringify(report)).not.toMatch(/bob|hunter2/);
  });

  it('NO_PROXY covering the host: direct, and says so; a socks proxy: a problem, the key not tried', async () => {
    const direct = await keyRow({ env: { ASSEMBLYAI_API_KEY: KEY, HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.assemblyai.com' } });
    expect(byId(direct.report.checks, 'proxy').detail).toBe('NO_PROXY covers streaming.assemblyai.com: reached directly, without the proxy');
    expect(direct.calls.lookup).toEqual(['streaming.assemblyai.com']);
    expect(direct.calls.token[0]?.proxy).toBeUndefined();
    const socks = await keyRow({ env: { ASSEMBLYAI_API_KEY: KEY, ALL_PROXY: 'socks5://127.0.0.1:1080' } });
    expect(byId(socks.report.checks, 'proxy').status).toBe('problem');
    expect(socks.row.status).toBe('skipped');
    expect(socks.calls.token).toEqual([]);
  });

  it('does not announce the recording when SoX is missing and the microphone check is skipped', async () => {
    const { deps, calls } = fakeDeps({ soxVersion: { code: null, errorCode: 'ENOENT' } });
    const report = await runDoctor({}, deps);
    expect(byId(report.checks, 'microphone').status).toBe('skipped');
    expect(calls.started).not.toContain('microphone');
    expect(calls.record).toEqual([]);
  });
});
