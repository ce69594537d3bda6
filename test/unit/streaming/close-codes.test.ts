import { describe, expect, it } from 'vitest';
import {
  CLOSE_CODES,
  HTTP_STATUSES,
  closeCodeInfo,
  httpStatusInfo,
  isConcurrencyRefusal,
  retryDecision,
  type RetryDecision,
} from '../../../src/streaming/close-codes.js';
import { describeHttpRejection, describeServerError } from '../../../src/streaming/protocol.js';
import { AppError, ErrorCode, exitCodeFor } from '../../../src/core/errors.js';

describe('the close-code table', () => {
  it.each<[number, string, RetryDecision, number]>([
    [1000, '', 'now', 1],
    [1006, '', 'now', 1],
    [1008, 'Unauthorized Connection: Invalid API key', 'never', 4],
    [1008, 'Unauthorized Connection: Signature has expired', 'never', 4],
    [1008, 'Unauthorized connection: Too many concurrent sessions', 'later', 1],
    [1009, '', 'never', 1],
    [1011, '', 'now', 1],
    [1012, '', 'now', 1],
    [1013, '', 'now', 1],
    [3005, 'Session Cancelled: An error occurred', 'now', 1],
    [3006, "User Input Validation Error: Invalid 'sample_rate'", 'never', 1],
    [3007, 'Input Duration Error', 'never', 1],
    [3008, 'Session Expired: Maximum session duration exceeded', 'now', 1],
    [3009, 'Unauthorized Connection: Too many concurrent sessions', 'later', 1],
    [4001, 'Not Authorized', 'never', 4],
    [4002, 'Insufficient Funds', 'never', 4],
    [4999, 'See Error message for details', 'never', 1],
  ])('close %i %j: retry %s, exit %i', (code, text, retry, exit) => {
    const error = describeServerError(code, text);
    expect(retryDecision(error)).toBe(retry);
    expect(closeCodeInfo(code, text).retry).toBe(retry);
    expect(exitCodeFor(error)).toBe(exit);
    expect(error.closeCode).toBe(code);
  });

  it.each<[number, RetryDecision, number]>([
    [401, 'never', 4],
    [403, 'never', 4],
    [404, 'never', 1],
    [400, 'never', 1],
    [429, 'later', 1],
    [500, 'now', 1],
    [502, 'now', 1],
    [503, 'now', 1],
  ])('HTTP %i: retry %s, exit %i', (status, retry, exit) => {
    const error = describeHttpRejection(status, '');
    expect(retryDecision(error)).toBe(retry);
    expect(httpStatusInfo(status).retry).toBe(retry);
    expect(exitCodeFor(error)).toBe(exit);
    expect(error.httpStatus).toBe(status);
  });

  it('retries network failures and our own timeouts now, and an error with no code never', () => {
    expect(retryDecision(new AppError(ErrorCode.network, 'the connection to the service was lost'))).toBe('now');
    expect(retryDecision(new AppError(ErrorCode.timeout, 'the service did not start the session within 15 s'))).toBe('now');
    expect(retryDecision(describeServerError(undefined, ''))).toBe('never');
  });

  it('describes every row in plain words', () => {
    const rows = [...Object.values(CLOSE_CODES), ...Object.values(HTTP_STATUSES)];
    expect(rows.length).toBeGreaterThanOrEqual(19);
    for (const row of rows) expect(row.description).toMatch(/^[a-z0-9].{8,}/);
    expect(Object.keys(CLOSE_CODES).map(Number)).toEqual(
      expect.arrayContaining([1000, 1006, 1008, 1009, 1011, 1012, 1013, 3005, 3006, 3007, 3008, 3009]),
    );
  });

  it('says what 1009 and 1011 mean (docs/service.md#errors-and-close-codes)', () => {
    expect(closeCodeInfo(1009).description).toMatch(/over 128 KB/);
    expect(describeServerError(1009, '').message).toBe('the service refused a message over its 128 KB limit');
    expect(closeCodeInfo(1011).description).toMatch(/internal error while connecting/);
  });

  it('tells a concurrency refusal from a rejected key by its text', () => {
    expect(isConcurrencyRefusal('Unauthorized connection: Too many concurrent sessions')).toBe(true);
    expect(isConcurrencyRefusal('Unauthorized Connection: Invalid API key')).toBe(false);
    expect(closeCodeInfo(1008, 'Unauthorized Connection: Invalid API key').errorCode).toBe(ErrorCode.auth);
    expect(closeCodeInfo(1008, 'Too many concurrent sessions')).toBe(closeCodeInfo(3009));
  });
});
