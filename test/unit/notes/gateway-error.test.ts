import { describe, expect, it } from 'vitest';
import { classifyStatus, errorText, retryAfterMs } from '../../../src/notes/gateway-error.js';

describe("the gateway's errors", () => {
  it('reads the text of every envelope of docs/service.md#gateway-errors', () => {
    expect(errorText({ code: 400, message: 'invalid request body', metadata: { errors: ['model x is not supported'] } })).toBe(
      'invalid request body; model x is not supported',
    );
    expect(errorText({ error: 'Authentication error, API token missing/invalid', status: 'error' })).toBe(
      'Authentication error, API token missing/invalid',
    );
    expect(errorText({ error: { code: 400, message: 'nested' } })).toBe('nested');
    expect(errorText('<html>bad gateway</html>')).toBe('<html>bad gateway</html>');
  });

  it.each([
    [401, '', 'auth', false],
    [403, '', 'no-access', false],
    [400, 'Your account does not have access to this LLM Gateway model', 'no-access', false],
    [400, 'model context limit exceeded', 'bad-request', false],
    [429, '', 'rate-limited', true],
    [500, '', 'server', true],
    [503, '', 'server', true],
  ])('%i %s -> %s (retry: %s)', (status, text, kind, retry) => {
    expect(classifyStatus(status, text)).toEqual({ kind, retry });
  });

  it('reads retry-after as seconds or an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs('Sun, 06 Dec 2026 10:00:05 GMT', Date.parse('Sun, 06 Dec 2026 10:00:00 GMT'))).toBe(5000);
  });
});
