import { registerHooks } from 'node:module';
import { createCallContext } from '@switchyard/testing';
import { expect, it } from 'vitest';

// Records every module specifier Node resolves in this test file's worker from here on.
const resolved: string[] = [];
registerHooks({
  resolve(specifier, context, nextResolve) {
    resolved.push(specifier);
    return nextResolve(specifier, context);
  },
});

const loadsStorageSdk = () =>
  resolved.some((specifier) => specifier === '@google-cloud/storage' || specifier.includes('@google-cloud/storage/'));

it('loads @google-cloud/storage on the first storage call, not when the package is imported', async () => {
  const { createGcp } = await import('./index');
  const gcp = createGcp({ projectId: 'switchyard-test', storage: { apiEndpoint: 'http://127.0.0.1:9' } });
  expect(loadsStorageSdk(), 'importing @switchyard/gcp and creating the provider load no SDK').toBe(false);
  await gcp
    .execute({ capability: 'storage', operation: 'headObject', input: { bucket: 'reports', key: 'a.txt' } }, createCallContext())
    .catch(() => undefined);
  expect(loadsStorageSdk(), 'the first storage call loads the SDK').toBe(true);
});
