import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '../../../src/core/errors.js';
import { describeNetworkError, endpointHost, forCredential, opensslReason } from '../../../src/streaming/network-errors.js';
import { retryDecision } from '../../../src/streaming/close-codes.js';

const errno = (code: string, message = code): Error => Object.assign(new Error(message), { code });
const OPENSSL =
  'write EPROTO 801C48725B7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n';
const at = { viaProxy: false, connected: false };

describe('describeNetworkError', () => {
  it('names the host and the cause of a refusal, and retries it', () => {
    const e = describeNetworkError(errno('ECONNREFUSED'), 'ws://127.0.0.1:1/v3/ws', at);
    expect(e.message).toBe('cannot connect to 127.0.0.1:1: connection refused (nothing is listening on that port)');
    expect(retryDecision(e)).toBe('now');
  });
  it('a plain-text answer to TLS: not TLS, ws:// suggested, never retried', () => {
    const e = describeNetworkError(errno('EPROTO', OPENSSL), 'wss://127.0.0.1:8080/v3/ws', at);
    expect(e.message).toBe('127.0.0.1:8080 does not speak TLS (it answered in plain text to a wss:// connection)');
    expect(e.hint).toContain('--api-host ws://127.0.0.1:8080;');
    expect(retryDecision(e)).toBe('never');
  });
  it('a drop after the upgrade is "the connection failed"; a proxy is said', () => {
    expect(describeNetworkError(errno('ECONNRESET'), 'wss://streaming.assemblyai.com/v3/ws', { viaProxy: true, connected: true }).message).toBe(
      'the connection to streaming.assemblyai.com:443 (through the proxy) failed: the connection was reset',
    );
  });
  it('other OpenSSL errors keep only the reason, on one line', () => {
    const e = describeNetworkError(
      errno('EPROTO', 'x:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:y\n'),
      'wss://h.example/v3/ws',
      at,
    );
    expect(e.message).toBe('cannot connect to h.example:443: sslv3 alert handshake failure (EPROTO)');
    expect(opensslReason(OPENSSL)).toBe('wrong version number');
    expect(endpointHost('ws://[::1]:9/v3/ws')).toBe('[::1]:9');
  });
});

describe('forCredential', () => {
  const refused = new AppError(ErrorCode.auth, 'the service rejected the credentials (Invalid token)', {
    closeCode: 1008,
    hint: 'check ASSEMBLYAI_API_KEY',
  });
  it('a refused token is named as a token, with a hint that does not mention the key variable', () => {
    const e = forCredential(refused, 'token');
    expect(e.message).toBe('the service rejected the temporary token (Invalid token)');
    expect(e.hint).not.toContain('ASSEMBLYAI_API_KEY');
    expect(e.closeCode).toBe(1008);
  });
  it('keys and other errors are left alone', () => {
    expect(forCredential(refused, 'key')).toBe(refused);
    const other = new AppError(ErrorCode.network, 'x');
    expect(forCredential(other, 'token')).toBe(other);
  });
});
