import { describe, expect, it } from 'vitest';
import { IntegrationError, validateProviderManifest } from '../index';

const valid = {
  id: 'acme-cloud',
  name: 'Acme Cloud',
  category: 'cloud',
  docsUrl: 'https://docs.acme.example/api',
  capabilities: [{ name: 'storage', version: 1, operations: ['putObject'] }],
  authKinds: ['api-key'],
  rateLimits: [{ requests: 100, intervalMs: 1_000 }],
  costs: { 'storage.putObject': 0.000005 },
};

describe('validateProviderManifest', () => {
  it('returns a valid manifest unchanged', () => {
    expect(validateProviderManifest(valid)).toEqual(valid);
  });

  it.each([
    ['id', { ...valid, id: 'Acme_Cloud' }, /id: must be kebab-case/],
    ['name', { ...valid, name: '  ' }, /name: must not be empty/],
    ['category', { ...valid, category: 'fintech' }, /category:/],
    [
      'capability name',
      { ...valid, capabilities: [{ name: 'Tele_Port', version: 1, operations: ['go'] }] },
      /capabilities\.0\.name: must be a lowercase kebab-case capability name/,
    ],
    [
      'capability operations',
      { ...valid, capabilities: [{ name: 'storage', version: 1, operations: [] }] },
      /capabilities\.0\.operations: must list at least one operation/,
    ],
    ['auth kinds', { ...valid, authKinds: ['magic'] }, /authKinds\.0:/],
    ['rate limits', { ...valid, rateLimits: [{ requests: 0, intervalMs: 1000 }] }, /rateLimits\.0\.requests:/],
    ['costs', { ...valid, costs: { 'storage.putObject': -1 } }, /costs\.storage\.putObject:/],
    ['docsUrl', { ...valid, docsUrl: 'http://docs.acme.example' }, /docsUrl: must be an https URL/],
  ])('names the bad field when the %s is wrong', (_field, manifest, message) => {
    expect(() => validateProviderManifest(manifest)).toThrow(message);
  });

  it('throws a validation IntegrationError', () => {
    try {
      validateProviderManifest({ ...valid, id: '' });
      expect.unreachable();
    } catch (error) {
      expect(IntegrationError.isInstance(error)).toBe(true);
      expect((error as IntegrationError).kind).toBe('validation');
    }
  });

  it('accepts any well-formed capability name, not only core’s', () => {
    const manifest = { ...valid, capabilities: [{ name: 'geocoding', version: 1, operations: ['geocode'] }] };
    expect(validateProviderManifest(manifest)).toEqual(manifest);
  });

  it('rejects unknown fields so typos do not pass silently', () => {
    expect(() => validateProviderManifest({ ...valid, docUrl: 'x' })).toThrow(/docUrl/);
  });

  it('lists every problem at once', () => {
    expect(() => validateProviderManifest({})).toThrow(/id:.*name:.*category:.*docsUrl:.*capabilities:.*authKinds:/);
  });
});
