import { createCallContext, testProvider } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createGcp } from './index';

testProvider({ id: 'gcp', category: 'cloud', create: () => createGcp() });

describe('createGcp', () => {
  afterEach(() => {
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  });

  it('offers storage alone until functions or compute settings are given', () => {
    expect(createGcp().services).toEqual(['storage']);
    expect(createGcp({ compute: { zones: ['europe-west1-b'] } }).services).toEqual(['storage', 'compute']);
    const everything = createGcp({ functions: { location: 'europe-west1' }, compute: {} });
    expect(everything.services).toEqual(['storage', 'functions', 'compute']);
    expect(everything.manifest.capabilities.map((capability) => capability.name)).toEqual(['storage', 'functions', 'compute']);
  });

  it('reads GOOGLE_APPLICATION_CREDENTIALS only when an operation runs, and names it when the file is missing', async () => {
    process.env.GOOGLE_APPLICATION_CREDENTIALS = '/nonexistent/switchyard-key.json';
    const gcp = createGcp({ projectId: 'switchyard-test', storage: { apiEndpoint: 'http://127.0.0.1:9' } });
    const outcome = await gcp
      .execute({ capability: 'storage', operation: 'headObject', input: { bucket: 'reports', key: 'a.txt' } }, createCallContext())
      .then(
        () => undefined,
        (error: unknown) => error as { kind: string; message: string },
      );
    expect(outcome?.kind).toBe('auth');
    expect(outcome?.message).toContain('GOOGLE_APPLICATION_CREDENTIALS');
  });

  it('parses a direct call against the contract, then applies Cloud Storage naming rules, before reading credentials', async () => {
    process.env.GOOGLE_APPLICATION_CREDENTIALS = '/nonexistent/switchyard-key.json';
    const gcp = createGcp({ projectId: 'switchyard-test', storage: { apiEndpoint: 'http://127.0.0.1:9' } });
    const failure = (input: unknown) =>
      gcp.execute({ capability: 'storage', operation: 'headObject', input }, createCallContext()).then(
        () => undefined,
        (error: unknown) => error as { kind: string; message: string },
      );
    const missingKey = await failure({ bucket: 'reports' });
    expect(missingKey?.kind).toBe('validation');
    expect(missingKey?.message).toMatch(/^gcp: invalid input for storage\.headObject: key: /);
    const reservedName = await failure({ bucket: 'google-reports', key: 'a.txt' });
    expect(reservedName?.kind).toBe('validation');
    expect(reservedName?.message).toContain('Cloud Storage naming rules');
  });
});
