import { describe, expect, it } from 'vitest';
import { errorReport } from './error-report';
import { IntegrationError } from './integration-error';

describe('errorReport', () => {
  it('keeps kind, message, retryability, wait and attempts, and names the fields of a validation error', () => {
    const error = new IntegrationError({
      kind: 'validation',
      message: 'Invalid input for storage.putObject',
      details: {
        issues: [
          { path: ['bucket'], message: 'Required' },
          { path: ['metadata', 'owner'], message: 'Expected string' },
        ],
      },
      cause: new Error('internal detail'),
    });
    expect(errorReport(error)).toEqual({
      kind: 'validation',
      message: 'Invalid input for storage.putObject',
      isRetryable: false,
      attempts: [],
      fields: ['bucket', 'metadata.owner'],
    });
    const limited = new IntegrationError({
      kind: 'rate_limit',
      message: 'slow down',
      retryAfterMs: 2_000,
      attempts: [{ provider: 'github', attempt: 1, kind: 'rate_limit', message: 'slow down', durationMs: 12 }],
    });
    expect(errorReport(limited)).toEqual({
      kind: 'rate_limit',
      message: 'slow down',
      isRetryable: true,
      retryAfterMs: 2_000,
      attempts: [{ provider: 'github', attempt: 1, kind: 'rate_limit', message: 'slow down' }],
    });
  });

  it('hides what anything else says', () => {
    expect(errorReport(new Error('password=hunter2'))).toEqual({
      kind: 'provider',
      message: 'The operation failed unexpectedly.',
      isRetryable: false,
      attempts: [],
    });
  });
});
