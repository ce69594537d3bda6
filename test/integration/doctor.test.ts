/**
 * `doctor` with real dependencies: the real SoX recording the suite's virtual microphone (silent, then
 * with speech played into it), a PATH without SoX, the real DNS resolver (this machine may be offline:
 * `.invalid` never resolves anywhere, RFC 2606), and real TLS against a local server with a self-signed
 * certificate.
 */
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { lookup } from 'node:dns/promises';
import path from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownPulseServer } from '../support/own-pulse.js';
import { connectTo, createDoctorDeps, requestToken, runDoctor, type CheckId, type DoctorCheck, type DoctorReport } from '../../src/doctor/doctor.js';
import { formatDoctorCheck, formatDoctorVerdict } from '../../src/render/doctor-messages.js';
import { startFakeServer } from '../support/fake-server.js';
import { TEST_KEY } from '../support/cli.js';
import { execCommand } from '../../src/system/exec.js';
import { makeSpeechWav, playIntoMic } from '../support/audio.js';
import { makeNoSoxPath, testTmpRoot } from '../support/fake-sox.js';

// A microphone of this file's own: it runs beside the other files (test/support/own-pulse.ts).
const pulseServer = await ownPulseServer();
const KEY = '0123456789abcdef0123456789abcdef';
const TLS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tls');
const plain = { green: (t: string) => t, red: (t: string) => t, dim: (t: string) => t, bold: (t: string) => t };

const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PULSE_SERVER: pulseServer };
const deps = (env: Record<string, string | undefined>) =>
  createDoctorDeps({ platform: 'linux', env, nodeVersion: process.version, exec: execCommand });
const byId = (r: DoctorReport, id: CheckId): DoctorCheck => r.checks.find((c) => c.id === id)!;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(testTmpRoot(), 'lt-doctor-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('doctor: SoX and the microphone, for real', () => {
  it('records 1 s of the silent virtual microphone and calls it digital silence (SoX dither, about -96 dBFS)', async () => {
    const report = await runDoctor(
      { device: 'virtmic.monitor', endpoint: 'wss://lt-doctor-test.invalid/v3/ws' },
      deps({ ...baseEnv, ASSEMBLYAI_API_KEY: KEY }),
    );
    expect(byId(report, 'node')).toMatchObject({ status: 'ok', detail: process.version });
    expect(byId(report, 'sox').status).toBe('ok');
    expect(byId(report, 'sox').detail).toMatch(/^SoX 14\.\d+\.\d+\S*; audio drivers: .*pulseaudio/);
    const mic = byId(report, 'microphone');
    expect(mic.status).toBe('problem');
    // Nothing plays into the virtual microphone: SoX's dither alone, values in {-1, 0, 1}.
    const level = Number(/level (-\d+) dBFS/.exec(mic.detail)?.[1]);
    expect(level).toBeLessThanOrEqual(-85);
    expect(level).toBeGreaterThanOrEqual(-100);
    expect(mic.detail).toMatch(/^recorded 1000 ms from "virtmic.monitor": digital silence/);
    expect(mic.fix).toContain('pactl list sources');
    expect(report.ok).toBe(false);
  });

  it('hears speech played into the virtual microphone during the recording', async () => {
    const wav = path.join(work, 'speech.wav');
    await makeSpeechWav('hello doctor, this is a sentence long enough to cover the whole recording', wav);
    const playing = playIntoMic(wav, pulseServer);
    const report = await runDoctor(
      { device: 'virtmic.monitor', endpoint: 'wss://lt-doctor-test.invalid/v3/ws' },
      deps({ ...baseEnv, ASSEMBLYAI_API_KEY: KEY }),
    );
    await playing;
    const mic = byId(report, 'microphone');
    expect(mic.status).toBe('ok');
    const level = Number(/level (-\d+) dBFS/.exec(mic.detail)?.[1]);
    expect(level).toBeGreaterThan(-45);
    expect(mic.detail).toMatch(/^recorded 1000 ms from "virtmic.monitor": level -\d+ dBFS, peak -?\d+ dBFS$/);
  });

  it('says SoX is missing (with install commands) and skips the recording when PATH has no sox', async () => {
    const report = await runDoctor(
      { endpoint: 'wss://lt-doctor-test.invalid/v3/ws' },
      deps({ ...baseEnv, PATH: await makeNoSoxPath(), ASSEMBLYAI_API_KEY: KEY }),
    );
    expect(byId(report, 'sox')).toMatchObject({ status: 'problem', detail: 'the `sox` command was not found on PATH' });
    expect(byId(report, 'sox').fix).toContain('sudo apt-get install sox libsox-fmt-pulse   <- this machine');
    expect(byId(report, 'microphone').status).toBe('skipped');
  });

  it('reports a device SoX cannot open, with its own words', async () => {
    const report = await runDoctor(
      { device: 'lt-no-such-source', endpoint: 'wss://lt-doctor-test.invalid/v3/ws' },
      deps({ ...baseEnv, ASSEMBLYAI_API_KEY: KEY }),
    );
    const mic = byId(report, 'microphone');
    expect(mic.status).toBe('problem');
    expect(mic.detail).toMatch(/^SoX could not record from "lt-no-such-source" \(exit code \d+\)/);
    expect(mic.fix).toMatch(/--list-devices/);
  });
});

describe('doctor: the API key', () => {
  it('passes with a key, fails without one, and never prints it', async () => {
    const withKey = await runDoctor({ endpoint: 'wss://lt-doctor-test.invalid/v3/ws' }, deps({ ...baseEnv, ASSEMBLYAI_API_KEY: KEY }));
    // The host does not resolve, so the key is not tried at the token endpoint.
    expect(byId(withKey, 'api-key')).toMatchObject({
      status: 'skipped',
      detail: 'set in ASSEMBLYAI_API_KEY, 32 characters (not shown); not checked with the service: needs lt-doctor-test.invalid to resolve',
    });
    expect(withKey.checks.map((c) => formatDoctorCheck(c, plain)).join('')).not.toContain(KEY);
    const without = await runDoctor({ endpoint: 'wss://lt-doctor-test.invalid/v3/ws' }, deps(baseEnv));
    expect(byId(without, 'api-key')).toMatchObject({ status: 'problem', detail: 'no API key: ASSEMBLYAI_API_KEY is not set' });
  });
});

describe('doctor: the network, for real', () => {
  it('reports a name that cannot resolve, with a fix, and skips TLS (bounded by the test timeout)', async () => {
    const report = await runDoctor(
      { device: 'virtmic.monitor', endpoint: 'wss://lt-doctor-test.invalid/v3/ws' },
      deps({ ...baseEnv, ASSEMBLYAI_API_KEY: KEY }),
    );
    expect(byId(report, 'dns')).toMatchObject({ status: 'problem', fix: expect.stringMatching(/internet connection/) as unknown as string });
    expect(byId(report, 'dns').detail).toMatch(
      /^cannot resolve lt-doctor-test\.invalid: (not found \(ENOTFOUND\)|the DNS server did not answer \(EAI_AGAIN\)|no answer within 5 s)$/,
    );
    expect(byId(report, 'connection')).toMatchObject({ status: 'skipped', name: 'TLS' });
    expect(formatDoctorVerdict(report, plain)).toMatch(/problems: .*DNS\.\n$/);
  });

  it('checks the real service host: on this offline machine the lookup fails and says so (online: resolves)', async () => {
    const online = await lookup('streaming.assemblyai.com').then(
      () => true,
      () => false,
    );
    const report = await runDoctor({ endpoint: 'wss://streaming.assemblyai.com/v3/ws' }, deps({ ...baseEnv, ASSEMBLYAI_API_KEY: KEY }));
    if (online) {
      expect(byId(report, 'dns').status).toBe('ok');
      expect(byId(report, 'connection')).toMatchObject({ name: 'TLS', status: 'ok' });
    } else {
      expect(byId(report, 'dns').status).toBe('problem');
      expect(byId(report, 'dns').detail).toMatch(/^cannot resolve streaming\.assemblyai\.com: /);
      expect(byId(report, 'connection').status).toBe('skipped');
    }
  }, 20_000);

  describe('TLS against a local server with a self-signed certificate', () => {
    let server: TlsServer;
    let port: number;
    const cert = readFileSync(path.join(TLS_DIR, 'localhost-cert.pem'));
    beforeAll(async () => {
      server = createTlsServer({ cert, key: readFileSync(path.join(TLS_DIR, 'localhost-key.pem')) }, (s) => s.end());
      server.on('tlsClientError', () => {});
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('verifies the certificate: refused as self-signed, accepted with its CA', async () => {
      expect(await connectTo({ host: 'localhost', port, tls: true, timeoutMs: 5_000 })).toMatchObject({
        ok: false,
        errorCode: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      });
      expect(await connectTo({ host: 'localhost', port, tls: true, timeoutMs: 5_000, ca: cert })).toEqual({ ok: true, protocol: 'TLSv1.3' });
      // An IP address is checked against the certificate's IP subjectAltName (no SNI is sent for it).
      expect(await connectTo({ host: '127.0.0.1', port, tls: true, timeoutMs: 5_000, ca: cert })).toEqual({ ok: true, protocol: 'TLSv1.3' });
    });

    it('reports the interception-style failure with the NODE_EXTRA_CA_CERTS fix', async () => {
      const report = await runDoctor({ endpoint: `wss://localhost:${port}/v3/ws` }, deps({ ...baseEnv, ASSEMBLYAI_API_KEY: KEY }));
      expect(byId(report, 'dns').status).toBe('ok');
      const tls = byId(report, 'connection');
      expect(tls).toMatchObject({ name: 'TLS', status: 'problem' });
      expect(tls.detail).toBe(`localhost:${port}: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)`);
      expect(tls.fix).toMatch(/NODE_EXTRA_CA_CERTS/);
    });
  });

  describe('plain ws:// to loopback (a test server)', () => {
    let server: NetServer;
    let port: number;
    beforeAll(async () => {
      // Reads what it is sent (doctor's token request too), so that the client's end closes the connection.
      server = createNetServer((s) => s.resume().end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('checks that the port accepts connections, and says when it does not', async () => {
      const up = await runDoctor({ endpoint: `ws://127.0.0.1:${port}/v3/ws` }, deps({ ...baseEnv, ASSEMBLYAI_API_KEY: KEY }));
      expect(byId(up, 'connection')).toMatchObject({ name: 'connection', status: 'ok' });
      const closed = await connectTo({ host: '127.0.0.1', port: 1, tls: false, timeoutMs: 2_000 });
      expect(closed).toMatchObject({ ok: false, errorCode: 'ECONNREFUSED' });
    });
  });

  describe('the token endpoint of the double over https:// (its TLS certificate)', () => {
    it('mints for the right key, 401 for a wrong one, and verifies the certificate', async () => {
      const cert = readFileSync(path.join(TLS_DIR, 'localhost-cert.pem'), 'utf8');
      const server = await startFakeServer({ tls: { cert, key: readFileSync(path.join(TLS_DIR, 'localhost-key.pem'), 'utf8') } });
      try {
        const url = `https://localhost:${new URL(server.url).port}/v3/token?expires_in_seconds=60`;
        const good = await requestToken({ url, apiKey: TEST_KEY, timeoutMs: 5_000, ca: cert });
        expect(good).toMatchObject({ ok: true, status: 200 });
        expect(good.ok && (JSON.parse(good.body) as { expires_in_seconds: number }).expires_in_seconds).toBe(60);
        expect(await requestToken({ url, apiKey: 'not-the-key', timeoutMs: 5_000, ca: cert })).toEqual({
          ok: true,
          status: 401,
          body: '{"error":"Invalid API key"}',
        });
        expect(await requestToken({ url, apiKey: TEST_KEY, timeoutMs: 5_000 })).toMatchObject({
          ok: false,
          errorCode: 'DEPTH_ZERO_SELF_SIGNED_CERT',
        });
        expect(server.sessions).toHaveLength(0);
      } finally {
        await server.close();
      }
    });
  });
});
