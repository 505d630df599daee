import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { IntegrationError, REDACTED, redact, redactText, registerSecret } from '../index';

describe('redact', () => {
  it('replaces registered secrets wherever they appear', () => {
    registerSecret('s3cr3t-value-for-redact-test');
    expect(redactText('key s3cr3t-value-for-redact-test in text')).toBe(`key ${REDACTED} in text`);
  });

  it('ignores secrets too short to redact safely', () => {
    registerSecret('abc');
    expect(redactText('abc def')).toBe('abc def');
  });

  it.each([
    ['Authorization: Bearer abcdef123456', `Authorization: Bearer ${REDACTED}`],
    ['GET https://api.example.com/x?access_token=abc123&page=2', `GET https://api.example.com/x?access_token=${REDACTED}&page=2`],
    ['https://user:pa55word@db.example.com/', `https://${REDACTED}@db.example.com/`],
    ['token ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', `token ${REDACTED}`],
    ['Bot 123456:ABC-DEF1234ghIkl', `Bot ${REDACTED}`],
    ['the token request was rejected by the token endpoint', 'the token request was rejected by the token endpoint'],
    ['{"client_secret":"very-secret-1"}', `{"client_secret":"${REDACTED}"}`],
    ['https://s3/x?X-Amz-Signature=deadbeef&X-Amz-Expires=60', `https://s3/x?X-Amz-Signature=${REDACTED}&X-Amz-Expires=60`],
  ])('redacts %s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('redacts sensitive keys deeply without touching the input', () => {
    const input = { headers: { Authorization: 'Basic xyz', accept: 'json' }, nested: [{ password: 'p' }] };
    expect(redact(input)).toEqual({
      headers: { Authorization: REDACTED, accept: 'json' },
      nested: [{ password: REDACTED }],
    });
    expect(input.headers.Authorization).toBe('Basic xyz');
  });

  it('survives cycles', () => {
    const cycle: Record<string, unknown> = { name: 'a' };
    cycle.self = cycle;
    expect(redact(cycle)).toEqual({ name: 'a', self: '[Truncated]' });
  });

  it('keeps secrets out of error messages, causes and inspect output', () => {
    registerSecret('planted-secret-in-error');
    const cause = Object.assign(new Error('request failed with planted-secret-in-error'), {
      config: { headers: { authorization: 'Bearer planted-secret-in-error' } },
    });
    const error = new IntegrationError({ kind: 'auth', message: 'bad key planted-secret-in-error', cause });
    expect(error.message).not.toContain('planted-secret-in-error');
    expect(inspect(error, { depth: 10 })).not.toContain('planted-secret-in-error');
    expect(JSON.stringify(error)).not.toContain('planted-secret-in-error');
  });
});
