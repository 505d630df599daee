import { describe, expect, it } from 'vitest';
import { IntegrationError, toIntegrationError } from '../index';

describe('IntegrationError', () => {
  it('keeps every field it is given, read-only by type', () => {
    const cause = new Error('socket hang up');
    const error = new IntegrationError({
      kind: 'rate_limit',
      message: 'slow down',
      provider: 'github',
      operation: 'issues.createIssue',
      statusCode: 429,
      retryAfterMs: 1_500,
      cause,
    });
    expect(error).toMatchObject({
      name: 'IntegrationError',
      kind: 'rate_limit',
      message: 'slow down',
      provider: 'github',
      operation: 'issues.createIssue',
      statusCode: 429,
      retryAfterMs: 1_500,
      isRetryable: true,
    });
    expect(error.cause).toMatchObject({ name: 'Error', message: 'socket hang up' });
    expect(error).toBeInstanceOf(Error);
  });

  it.each([
    ['rate_limit', true],
    ['network', true],
    ['timeout', true],
    ['provider', true],
    ['auth', false],
    ['validation', false],
    ['not_found', false],
    ['conflict', false],
    ['unsupported', false],
    ['circuit_open', false],
  ] as const)('treats %s as retryable: %s, unless told otherwise', (kind, retryable) => {
    expect(new IntegrationError({ kind, message: 'x' }).isRetryable).toBe(retryable);
    expect(new IntegrationError({ kind, message: 'x', isRetryable: !retryable }).isRetryable).toBe(!retryable);
  });

  it('is recognised across package copies by its Symbol.for marker, not by class identity', () => {
    const error = new IntegrationError({ kind: 'network', message: 'x' });
    const foreign = Object.assign(Object.create(Error.prototype) as object, {
      [Symbol.for('switchyard.integration-error')]: true,
    });
    expect(IntegrationError.isInstance(error)).toBe(true);
    expect(IntegrationError.isInstance(foreign)).toBe(true);
    expect(IntegrationError.isInstance(new Error('x'))).toBe(false);
    expect(IntegrationError.isInstance(null)).toBe(false);
  });

  it('serializes to a plain object without the cause', () => {
    const json = JSON.parse(JSON.stringify(new IntegrationError({ kind: 'timeout', message: 'late', provider: 'aws' }))) as object;
    expect(json).toEqual({ name: 'IntegrationError', kind: 'timeout', message: 'late', provider: 'aws', isRetryable: true });
  });
});

describe('toIntegrationError', () => {
  it('passes integration errors through', () => {
    const error = new IntegrationError({ kind: 'auth', message: 'x' });
    expect(toIntegrationError(error)).toBe(error);
  });

  it('classifies aborts as timeouts and socket errors as network errors', () => {
    expect(toIntegrationError(new DOMException('aborted', 'AbortError')).kind).toBe('timeout');
    expect(toIntegrationError(new DOMException('late', 'TimeoutError')).kind).toBe('timeout');
    expect(toIntegrationError(Object.assign(new Error('reset'), { code: 'ECONNRESET' })).kind).toBe('network');
    expect(toIntegrationError(new Error('boom'), { provider: 'gcp' })).toMatchObject({ kind: 'provider', provider: 'gcp' });
    expect(toIntegrationError('a string').message).toBe('a string');
  });
});
