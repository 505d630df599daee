import { describe, expect, it } from 'vitest';
import { IntegrationError } from '@switchyard/core';
import { contentHash, parseStoreInput, storeSchemas } from './store-input';

describe('contentHash', () => {
  it('hashes equal content equally whatever the key order, and different content differently', () => {
    const hash = contentHash({ title: 'Bug', meta: { a: 1, b: [1, 2] } });
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash({ meta: { b: [1, 2], a: 1 }, title: 'Bug' })).toBe(hash);
    expect(contentHash({ title: 'Bug', meta: { a: 1, b: [2, 1] } })).not.toBe(hash);
  });
});

describe('parseStoreInput', () => {
  it('fills in defaults', () => {
    expect(parseStoreInput(storeSchemas.newIntegration, { providerId: 'github', name: 'GitHub' }, 'store.integrations.create')).toEqual({
      workspaceId: 'default',
      providerId: 'github',
      name: 'GitHub',
      settings: {},
      status: 'active',
    });
  });

  it('throws a validation error naming the operation and each failing field', () => {
    let caught: unknown;
    try {
      parseStoreInput(
        storeSchemas.credentialWrite,
        { integrationId: '', field: 'apiKey', keyId: 'k', iv: '%%', ciphertext: '', authTag: '' },
        'store.credentials.put',
      );
    } catch (error) {
      caught = error;
    }
    expect(IntegrationError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({ kind: 'validation', operation: 'store.credentials.put', isRetryable: false });
    expect((caught as IntegrationError).message).toMatch(/^store\.credentials\.put: invalid input: integrationId: .*; iv: /);
    expect((caught as IntegrationError).details).toMatchObject({ issues: [{ path: 'integrationId' }, { path: 'iv' }] });
  });
});
