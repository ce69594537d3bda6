/** Tests: the UsageError that `run` throws (the test fails if it throws nothing, or something else). */
import { expect } from 'vitest';
import { UsageError } from '../../src/core/errors.js';

export function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected a usage error');
}
