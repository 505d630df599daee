import { describe, expect, it } from 'vitest';
import { validateProviderManifest } from './index';

const valid = {
  id: 'acme-cloud',
  name: 'Acme Cloud',
  category: 'cloud',
  capabilities: ['storage'],
  docsUrl: 'https://docs.acme.example/api',
};

describe('validateProviderManifest', () => {
  it('returns a valid manifest unchanged', () => {
    expect(validateProviderManifest(valid)).toEqual(valid);
  });

  it.each([
    ['id', { ...valid, id: 'Acme_Cloud' }, /id: must be kebab-case/],
    ['name', { ...valid, name: '  ' }, /name: must not be empty/],
    ['category', { ...valid, category: 'fintech' }, /category:/],
    ['capabilities', { ...valid, capabilities: ['Storage'] }, /capabilities\.0:/],
    ['docsUrl', { ...valid, docsUrl: 'http://docs.acme.example' }, /docsUrl: must be an https URL/],
  ])('names the bad field when %s is wrong', (_field, manifest, message) => {
    expect(() => validateProviderManifest(manifest)).toThrow(message);
  });

  it('rejects unknown fields so typos do not pass silently', () => {
    expect(() => validateProviderManifest({ ...valid, docUrl: 'x' })).toThrow(/docUrl/);
  });

  it('lists every problem at once', () => {
    expect(() => validateProviderManifest({})).toThrow(/id:.*name:.*category:.*capabilities:.*docsUrl:/);
  });
});
