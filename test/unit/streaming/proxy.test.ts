import { describe, expect, it } from 'vitest';
import { describeProxy, noProxyCovers, proxyFor, proxyRefusal, type ProxyChoice } from '../../../src/streaming/proxy.js';
import { ErrorCode } from '../../../src/core/errors.js';

const WSS = 'wss://streaming.assemblyai.com/v3/ws';

function chosen(target: string, env: Record<string, string>): ProxyChoice {
  const d = proxyFor(target, env);
  if (d.kind !== 'proxy') throw new Error(`expected a proxy, got ${JSON.stringify(d)}`);
  return d.proxy;
}

describe('proxyFor', () => {
  it('reads https_proxy before HTTPS_PROXY, then all_proxy / ALL_PROXY; empty counts as unset', () => {
    expect(proxyFor(WSS, {})).toEqual({ kind: 'direct', reason: 'unset' });
    expect(proxyFor(WSS, { HTTPS_PROXY: '', HTTP_PROXY: 'http://p:1' })).toEqual({ kind: 'direct', reason: 'unset' });
    expect(chosen(WSS, { HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128' })).toMatchObject({
      variable: 'https_proxy',
      shown: 'http://lower:3128',
    });
    expect(chosen(WSS, { HTTPS_PROXY: 'http://a:1', ALL_PROXY: 'http://b:2' })).toMatchObject({ variable: 'HTTPS_PROXY', shown: 'http://a:1' });
    expect(chosen(WSS, { ALL_PROXY: 'http://b:2' })).toMatchObject({ variable: 'ALL_PROXY', shown: 'http://b:2' });
    expect(chosen('ws://127.0.0.1:4000/v3/ws', { HTTPS_PROXY: 'http://a:1' })).toMatchObject({ shown: 'http://a:1' });
  });

  it('takes a value without a scheme as http://, and https:// proxies', () => {
    expect(chosen(WSS, { HTTPS_PROXY: 'proxy.corp:8080' }).url.href).toBe('http://proxy.corp:8080/');
    expect(chosen(WSS, { HTTPS_PROXY: 'https://proxy.corp' }).shown).toBe('https://proxy.corp');
  });

  it('never shows the credentials, but keeps them for the CONNECT', () => {
    const p = chosen(WSS, { HTTPS_PROXY: 'http://alice:s3cr3t@proxy.corp:3128' });
    expect(p.shown).toBe('http://proxy.corp:3128');
    expect(p.hasCredentials).toBe(true);
    expect(p.url.password).toBe('s3cr3t');
    expect(describeProxy(p)).toBe('http://proxy.corp:3128 (from HTTPS_PROXY, with credentials, not shown)');
    const refusal = proxyRefusal(p, 'streaming.assemblyai.com:443', 407, 'Proxy Authentication Required');
    expect(`${refusal.message} ${refusal.hint}`).not.toMatch(/alice|s3cr3t/);
  });

  it('refuses socks and other schemes, naming the variable', () => {
    const d = proxyFor(WSS, { ALL_PROXY: 'socks5://127.0.0.1:1080' });
    expect(d.kind).toBe('invalid');
    if (d.kind === 'invalid') {
      expect(d.error.message).toBe('ALL_PROXY names a socks5:// proxy: only http:// and https:// proxies are supported');
      expect(d.error.code).toBe(ErrorCode.usage);
    }
  });

  it.each(['http://u:p%zz@127.0.0.1:3128', 'http://u%4@127.0.0.1:3128', 'http://%E0%A4%A@host:1'])(
    'refuses credentials with a broken %% escape (%s), without showing them (issue 19.7)',
    (value) => {
      const d = proxyFor(WSS, { HTTPS_PROXY: value });
      expect(d.kind).toBe('invalid');
      if (d.kind === 'invalid') {
        expect(d.error.message).toBe('HTTPS_PROXY has a user name or password with a broken % escape');
        expect(d.error.hint).toMatch(/%25/);
        expect(d.error.code).toBe(ErrorCode.usage);
      }
    },
  );

  it('goes direct for a host NO_PROXY covers, and says which variable', () => {
    expect(proxyFor(WSS, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'assemblyai.com' })).toEqual({
      kind: 'direct',
      reason: 'no-proxy',
      noProxyVariable: 'NO_PROXY',
    });
    expect(proxyFor(WSS, { HTTPS_PROXY: 'http://p:1', no_proxy: 'example.com', NO_PROXY: 'assemblyai.com' }).kind).toBe('proxy');
    expect(proxyFor('ws://127.0.0.1:4000/v3/ws', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '127.0.0.1:4000' }).kind).toBe('direct');
    expect(proxyFor('ws://127.0.0.1:4000/v3/ws', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '127.0.0.1:4001' }).kind).toBe('proxy');
  });
});

describe('noProxyCovers', () => {
  it.each([
    ['streaming.assemblyai.com', 443, '*', true],
    ['streaming.assemblyai.com', 443, 'assemblyai.com', true],
    ['streaming.assemblyai.com', 443, '.assemblyai.com', true],
    ['streaming.assemblyai.com', 443, '*.assemblyai.com', true],
    ['assemblyai.com', 443, '.assemblyai.com', true],
    ['streaming.assemblyai.com', 443, 'STREAMING.AssemblyAI.com', true],
    ['streaming.assemblyai.com', 443, 'example.com, other.org assemblyai.com', true],
    ['notassemblyai.com', 443, 'assemblyai.com', false],
    ['streaming.assemblyai.com', 443, 'eu.assemblyai.com', false],
    ['streaming.assemblyai.com', 443, 'assemblyai.com:8443', false],
    ['streaming.assemblyai.com', 443, 'assemblyai.com:443', true],
    ['127.0.0.1', 4000, '127.0.0.1', true],
    ['127.0.0.1', 4000, '127.0.0.0/8', true],
    ['10.1.2.3', 443, '10.0.0.0/16', false],
    ['10.0.2.3', 443, '10.0.0.0/16', true],
    ['[::1]', 443, '::1', true],
    ['::1', 443, '[::1]:443', true],
    ['127.0.0.1', 4000, '0.0.1', false],
    ['streaming.assemblyai.com', 443, '', false],
    ['streaming.assemblyai.com', 443, ',,', false],
  ])('%s:%d with NO_PROXY=%j -> %s', (host, port, list, covered) => {
    expect(noProxyCovers(host, port, list)).toBe(covered);
  });
});

describe('proxyRefusal', () => {
  const p = chosen(WSS, { HTTPS_PROXY: 'http://proxy.corp:3128' });

  it('407: not retried, and says where the credentials go', () => {
    const e = proxyRefusal(p, 'streaming.assemblyai.com:443', 407, 'Proxy Authentication Required');
    expect(e.code).toBe(ErrorCode.proxy);
    expect(e.message).toBe('the proxy http://proxy.corp:3128 refused to connect to streaming.assemblyai.com:443: 407 Proxy Authentication Required');
    expect(e.hint).toBe('the proxy wants a user name and password: put them in HTTPS_PROXY, e.g. http://USER:PASSWORD@proxy.corp:3128');
  });

  it('403 is a refusal (not retried); a 5xx is the network (retried)', () => {
    expect(proxyRefusal(p, 'h:443', 403, 'Forbidden').code).toBe(ErrorCode.proxy);
    expect(proxyRefusal(p, 'h:443', 502, 'Bad Gateway').code).toBe(ErrorCode.network);
  });
});
