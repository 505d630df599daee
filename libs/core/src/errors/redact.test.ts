import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { IntegrationError, REDACTED, redact, redactIntegrationError, redactText, SecretSet } from '../index';

describe('redact', () => {
  it('replaces the secrets of the sets it is given wherever they appear, and no others', () => {
    const secrets = new SecretSet();
    secrets.add('s3cr3t-value-for-redact-test');
    expect(redactText('key s3cr3t-value-for-redact-test in text', secrets)).toBe(`key ${REDACTED} in text`);
    expect(redactText('key s3cr3t-value-for-redact-test in text')).toBe('key s3cr3t-value-for-redact-test in text');
    expect(redactText('key s3cr3t-value-for-redact-test in text', [new SecretSet(), secrets])).toBe(`key ${REDACTED} in text`);
  });

  it('ignores secrets too short to redact safely', () => {
    const secrets = new SecretSet();
    secrets.add('abc');
    expect(secrets.size).toBe(0);
    expect(redactText('abc def', secrets)).toBe('abc def');
  });

  it('drops the value a slot held when the slot is set again', () => {
    const secrets = new SecretSet();
    secrets.set('installation:1', 'first-token-value-1');
    secrets.set('installation:1', 'second-token-value-2');
    expect(secrets.size).toBe(1);
    expect(redactText('first-token-value-1 second-token-value-2', secrets)).toBe(`first-token-value-1 ${REDACTED}`);
    secrets.delete('installation:1');
    expect(redactText('second-token-value-2', secrets)).toBe('second-token-value-2');
  });

  it('keeps at most maxSecrets values, dropping the least recently set', () => {
    const secrets = new SecretSet({ maxSecrets: 2 });
    secrets.add('oldest-secret-a');
    secrets.add('middle-secret-b');
    secrets.add('newest-secret-c');
    expect(secrets.size).toBe(2);
    expect(redactText('oldest-secret-a middle-secret-b newest-secret-c', secrets)).toBe(`oldest-secret-a ${REDACTED} ${REDACTED}`);
    expect(() => new SecretSet({ maxSecrets: 0 })).toThrow(RangeError);
  });

  it('applies a provider’s own token patterns and sensitive keys', () => {
    const secrets = new SecretSet();
    secrets.addPattern(/\bghp_[A-Za-z0-9]{20,}\b/g);
    secrets.addSensitiveKey('X-Hub-Signature-256');
    expect(redactText('token=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', secrets)).toBe(`token=${REDACTED}!`);
    expect(redact({ 'x-hub-signature-256': 'sha256=abc' }, secrets)).toEqual({ 'x-hub-signature-256': REDACTED });
    expect(redact({ 'x-hub-signature-256': 'sha256=abc' })).toEqual({ 'x-hub-signature-256': 'sha256=abc' });
    expect(() => secrets.addPattern(/ghp_/)).toThrow(/g flag/);
  });

  it('never shows its values when printed, serialized or inspected', () => {
    const secrets = new SecretSet();
    secrets.add('value-that-must-not-print');
    expect(JSON.stringify(secrets)).toBe('{"size":1}');
    expect(inspect(secrets, { depth: 10, showHidden: true })).not.toContain('value-that-must-not-print');
    expect(String(Object.values(secrets))).not.toContain('value-that-must-not-print');
  });

  it.each([
    ['Authorization: Bearer abcdef123456', `Authorization: Bearer ${REDACTED}`],
    ['GET https://api.example.com/x?access_token=abc123&page=2', `GET https://api.example.com/x?access_token=${REDACTED}&page=2`],
    ['https://user:pa55word@db.example.com/', `https://${REDACTED}@db.example.com/`],
    ['token ghp_1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', `token ${REDACTED}`],
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
    const secrets = new SecretSet();
    secrets.add('planted-secret-in-error');
    const cause = Object.assign(new Error('request failed with planted-secret-in-error'), {
      config: { headers: { authorization: 'Bearer planted-secret-in-error' } },
    });
    const built = new IntegrationError({
      kind: 'auth',
      message: 'bad key planted-secret-in-error',
      cause,
      attempts: [{ provider: 'p', attempt: 1, kind: 'auth', message: 'planted-secret-in-error refused', durationMs: 1 }],
    });
    const error = redactIntegrationError(built, secrets);
    expect(error.kind).toBe('auth');
    expect(error.attempts[0]?.message).toBe(`${REDACTED} refused`);
    expect(error.message).not.toContain('planted-secret-in-error');
    expect(inspect(error, { depth: 10 })).not.toContain('planted-secret-in-error');
    expect(JSON.stringify(error)).not.toContain('planted-secret-in-error');
  });
});
