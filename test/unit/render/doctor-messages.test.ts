import { describe, expect, it } from 'vitest';
import * as say from '../../../src/render/doctor-messages.js';

describe("doctor's sentences", () => {
  it.each([
    [say.formatSoxFound('14.4.2', ['alsa', 'pulseaudio']), 'SoX 14.4.2; audio drivers: alsa pulseaudio'],
    [say.formatSoxFound(undefined, []), 'SoX unknown version; audio drivers: none'],
    [say.formatSoxVersionFailed(undefined), '`sox --version` failed: no output'],
    [say.formatKeyFound('ASSEMBLYAI_API_KEY', '0123456789abcdef0123456789abcdef'), 'set in ASSEMBLYAI_API_KEY, 32 characters (not shown)'],
    [
      say.formatKeyFound('--api-key', 'abc'),
      'set in --api-key, 3 characters (not shown); unusual form (keys are usually 32 hexadecimal characters): make sure it is the whole key',
    ],
    [say.formatResolved('h', ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4']), 'h resolves to 1.1.1.1, 2.2.2.2, +2'],
    [say.formatLevels(-23.6, Number.NEGATIVE_INFINITY), 'level -24 dBFS, peak -inf dBFS'],
    [say.formatRecorded('"m"', 1000, 'L', true), 'recorded 1000 ms from "m": very quiet (L); speak during the check to test the level'],
    [say.formatConnected('h:443', true, undefined), 'h:443 answers TLS with a valid certificate'],
    [say.formatConnected('127.0.0.1:80', false, undefined), '127.0.0.1:80 accepts connections (plain ws://, loopback only)'],
  ])('%s', (actual, expected) => {
    expect(actual).toBe(expected);
  });

  it.each([
    [undefined, '', 'cannot resolve h: no answer within 5 s'],
    ['ENOTFOUND', 'x', 'cannot resolve h: not found (ENOTFOUND)'],
    ['EAI_AGAIN', 'x', 'cannot resolve h: the DNS server did not answer (EAI_AGAIN)'],
    ['EOTHER', 'odd', 'cannot resolve h: EOTHER: odd'],
  ])('DNS %s', (code, message, detail) => {
    expect(say.formatCannotResolve('h', code, message, 5_000).detail).toBe(detail);
  });

  it.each([
    ['ETIMEDOUT', undefined, 'h:1: no answer within 5 s (ETIMEDOUT)', /firewall or proxy/],
    ['ECONNREFUSED', undefined, 'h:1: connection refused (ECONNREFUSED)', /firewall or proxy/],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'self signed\u0007', 'h:1: self signed (SELF_SIGNED_CERT_IN_CHAIN)', /NODE_EXTRA_CA_CERTS/],
    ['CERT_HAS_EXPIRED', undefined, 'h:1: CERT_HAS_EXPIRED', /date and time/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', undefined, 'h:1: ERR_TLS_CERT_ALTNAME_INVALID', /check --api-host/],
  ])('connection %s', (code, message, detail, fix) => {
    const f = say.formatConnectFailed('h:1', code, message, 5_000);
    expect(f.detail).toBe(detail);
    expect(f.fix).toMatch(fix);
  });

  it.each([
    ['linux', 'pulseaudio', 'sudo apt-get install libsox-fmt-pulse   (Debian/Ubuntu; Fedora and Arch ship it with sox)'],
    ['linux', 'oss', 'install a SoX build with the oss driver'],
    ['darwin', 'pulseaudio', 'install a SoX build with the pulseaudio driver'],
  ] as [NodeJS.Platform, string, string][])('a missing driver on %s: %s', (platform, driver, fix) => {
    expect(say.formatDriverMissing('dev', driver, platform)).toEqual({ detail: `--device dev needs the ${driver} driver`, fix });
  });
});
