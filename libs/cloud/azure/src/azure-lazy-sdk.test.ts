import { createCallContext } from '@switchyard/testing';
import { describe, expect, it, vi } from 'vitest';

const sdk = vi.hoisted(() => ({ loads: 0 }));

vi.mock('@azure/storage-blob', async (importOriginal) => {
  sdk.loads += 1;
  return importOriginal();
});

describe('loading @azure/storage-blob', () => {
  it('waits until the first storage operation: importing the package and creating the provider load nothing', async () => {
    const { createAzure } = await import('./index');
    const azure = createAzure({
      storage: { accountName: 'devstoreaccount1', accountKey: 'a2V5', endpoint: 'http://127.0.0.1:9/devstoreaccount1' },
    });
    expect(sdk.loads, 'loaded at import or creation').toBe(0);
    // Port 9 refuses the connection; the call still needs the SDK.
    await azure
      .execute({ capability: 'storage', operation: 'headObject', input: { bucket: 'lazy', key: 'k' } }, createCallContext())
      .catch(() => undefined);
    expect(sdk.loads, 'loaded by the first operation').toBe(1);
  });
});
