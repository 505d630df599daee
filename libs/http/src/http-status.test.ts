import { describe, expect, it } from 'vitest';
import { classifyHttpStatus, type HttpStatusAnswer } from './http-status';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const inSeconds = (seconds: number) => String(NOW / 1000 + seconds);

describe('classifyHttpStatus: one status table for every provider', () => {
  it.each([
    // status, headers, message → kind, retryable, retryAfterMs
    [400, {}, undefined, 'validation', false, undefined],
    [401, {}, 'Bad credentials', 'auth', false, undefined],
    [403, {}, 'Resource not accessible by integration', 'auth', false, undefined],
    [403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': inSeconds(42) }, 'API rate limit exceeded', 'rate_limit', true, 42_000],
    [403, { 'ratelimit-remaining': '0', 'ratelimit-reset': '30' }, undefined, 'rate_limit', true, 30_000],
    [403, { 'retry-after': '60' }, undefined, 'rate_limit', true, 60_000],
    [403, {}, 'You have exceeded a secondary rate limit', 'rate_limit', true, undefined],
    [403, {}, 'You have triggered an abuse detection mechanism', 'rate_limit', true, undefined],
    [404, {}, undefined, 'not_found', false, undefined],
    [405, {}, undefined, 'validation', false, undefined],
    [408, {}, undefined, 'timeout', true, undefined],
    [409, {}, undefined, 'conflict', false, undefined],
    [410, {}, undefined, 'not_found', false, undefined],
    [412, {}, undefined, 'conflict', false, undefined],
    [413, {}, undefined, 'validation', false, undefined],
    [422, {}, undefined, 'validation', false, undefined],
    [429, {}, undefined, 'rate_limit', true, undefined],
    [429, { 'retry-after': '7' }, undefined, 'rate_limit', true, 7_000],
    [429, { 'retry-after': '0.5' }, undefined, 'rate_limit', true, 500],
    [429, { 'retry-after': new Date(NOW + 90_000).toUTCString() }, undefined, 'rate_limit', true, 90_000],
    [429, { 'retry-after': 'soon' }, undefined, 'rate_limit', true, undefined],
    [429, { 'x-ratelimit-reset-after': '12.2' }, undefined, 'rate_limit', true, 12_200],
    [429, { 'x-ratelimit-reset': inSeconds(5) }, undefined, 'rate_limit', true, 5_000],
    [429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': inSeconds(5) }, undefined, 'rate_limit', true, 5_000],
    [429, { 'x-ratelimit-remaining': '4100', 'x-ratelimit-reset': inSeconds(3_000) }, undefined, 'rate_limit', true, undefined],
    [
      403,
      { 'x-ratelimit-remaining': '4100', 'x-ratelimit-reset': inSeconds(3_000) },
      'You have exceeded a secondary rate limit',
      'rate_limit',
      true,
      undefined,
    ],
    [500, {}, undefined, 'provider', true, undefined],
    [501, {}, undefined, 'unsupported', false, undefined],
    [502, {}, undefined, 'provider', true, undefined],
    [503, {}, undefined, 'provider', true, undefined],
    [503, { 'retry-after': '5', 'x-ratelimit-reset': '99' }, 'down for maintenance', 'provider', true, 5_000],
    [503, { 'x-ratelimit-reset': '99' }, undefined, 'provider', true, undefined],
    [504, {}, undefined, 'provider', true, undefined],
    [302, {}, undefined, 'provider', true, undefined],
  ] as const)('%i %j %s → %s, retryable %s, wait %s', (status, headers, message, kind, retryable, retryAfterMs) => {
    expect(classifyHttpStatus({ status, headers, message, now: NOW })).toEqual({ kind, retryable, retryAfterMs });
  });
});

describe('provider hints (each is documented where the provider gives it)', () => {
  const classify = (answer: Omit<HttpStatusAnswer, 'now'>) => classifyHttpStatus({ ...answer, now: NOW });

  it("Azure Storage's ServerBusy on a 503 is a throttle: rate_limit, with the Retry-After the service sent", () => {
    expect(classify({ status: 503, headers: { 'retry-after': '3' }, hint: { kind: 'rate_limit' } })).toEqual({
      kind: 'rate_limit',
      retryable: true,
      retryAfterMs: 3_000,
    });
  });

  it("AWS's SlowDown on a 503 without Retry-After is a rate limit with the provider's default wait", () => {
    expect(classify({ status: 503, hint: { kind: 'rate_limit', retryAfterMs: 1_000 } })).toEqual({
      kind: 'rate_limit',
      retryable: true,
      retryAfterMs: 1_000,
    });
  });

  it('Telegram\'s 400 "chat not found" is not_found, and its body\'s retry_after wins over headers', () => {
    expect(classify({ status: 400, hint: { kind: 'not_found' } })).toEqual({
      kind: 'not_found',
      retryable: false,
      retryAfterMs: undefined,
    });
    expect(classify({ status: 429, headers: { 'retry-after': '1' }, hint: { retryAfterMs: 9_000 } })).toMatchObject({
      retryAfterMs: 9_000,
    });
  });

  it('a Lambda conflict "in progress" clears by itself: retryable, unlike other conflicts', () => {
    expect(classify({ status: 409, hint: { retryable: true } })).toEqual({ kind: 'conflict', retryable: true, retryAfterMs: undefined });
    expect(classify({ status: 409 })).toMatchObject({ retryable: false });
  });

  it('a hinted kind is not second-guessed by the 403 rate-limit signals', () => {
    expect(classify({ status: 403, headers: { 'retry-after': '5' }, hint: { kind: 'auth' } })).toMatchObject({
      kind: 'auth',
      retryable: false,
    });
  });
});
