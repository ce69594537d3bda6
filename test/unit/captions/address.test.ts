import { describe, expect, it } from 'vitest';
import { browsableHost, DEFAULT_CAPTIONS_PORT, formatHostPort, isLoopbackHost, parseCaptionsAddress } from '../../../src/captions/address.js';
import { UsageError } from '../../../src/core/errors.js';

describe('parseCaptionsAddress', () => {
  it('without a value: loopback on the fixed documented port', () => {
    expect(parseCaptionsAddress(true)).toEqual({ host: '127.0.0.1', port: DEFAULT_CAPTIONS_PORT });
    expect(DEFAULT_CAPTIONS_PORT).toBe(8777);
  });

  it('HOST:PORT, :PORT, PORT, [v6]:PORT; port 0 picks a free one', () => {
    expect(parseCaptionsAddress('8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseCaptionsAddress(':9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseCaptionsAddress('0.0.0.0:8777')).toEqual({ host: '0.0.0.0', port: 8777 });
    expect(parseCaptionsAddress('localhost:0')).toEqual({ host: 'localhost', port: 0 });
    expect(parseCaptionsAddress('[::1]:8777')).toEqual({ host: '::1', port: 8777 });
    expect(parseCaptionsAddress('[::]:1')).toEqual({ host: '::', port: 1 });
    expect(parseCaptionsAddress(' my-laptop.local:65535 ')).toEqual({ host: 'my-laptop.local', port: 65535 });
  });

  it('refuses what is not an address, with a usage error that says what to write', () => {
    for (const bad of [
      '',
      ' ',
      'host',
      'host:',
      'host:port',
      '70000',
      ':-1',
      '::1:80',
      '[host]:80',
      'a b:80',
      'http://x:80',
      '1.2.3.4:80:90',
      '[::1]',
    ]) {
      let error: unknown;
      try {
        parseCaptionsAddress(bad);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(UsageError);
      expect((error as UsageError).message, bad).toMatch(/--captions/);
      expect((error as UsageError).hint, bad).toMatch(/--captions|port 0/);
    }
  });
});

describe('isLoopbackHost', () => {
  it('knows the names that can only mean this computer', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', 'app.localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.5', '10.0.0.1', 'example.com', 'localhost.example.com', '127.0.0.1.nip.io', '', '::ffff:10.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(false);
  });
});

describe('hosts in URLs', () => {
  it('brackets IPv6, and opens every-address binds on this computer', () => {
    expect(formatHostPort({ host: '::1', port: 80 })).toBe('[::1]:80');
    expect(formatHostPort({ host: '127.0.0.1', port: 80 })).toBe('127.0.0.1:80');
    expect(browsableHost('0.0.0.0')).toBe('127.0.0.1');
    expect(browsableHost('::')).toBe('[::1]');
    expect(browsableHost('fe80::1')).toBe('[fe80::1]');
  });
});

describe('--captions through the config', () => {
  const env = { ASSEMBLYAI_API_KEY: 'test-key-0000' };
  it('the flag without a value, an address, or none', async () => {
    const { resolveConfig } = await import('../../../src/options/resolve.js');
    expect(resolveConfig({ captions: true }, env).captions).toEqual({ host: '127.0.0.1', port: 8777 });
    expect(resolveConfig({ captions: '0.0.0.0:9000' }, env).captions).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(resolveConfig({}, env).captions).toBeUndefined();
    expect(() => resolveConfig({ captions: 'x:y' }, env)).toThrow(UsageError);
  });
});
