import { createCallContext, startFaultServer } from '@switchyard/testing';
import { expect, it, vi } from 'vitest';

const SDK_PACKAGES = ['@aws-sdk/client-s3', '@aws-sdk/client-lambda', '@aws-sdk/client-ec2', '@aws-sdk/s3-request-presigner'];

it('loads no AWS SDK on import or creation, and only the SDK of the service called', async () => {
  vi.resetModules();
  const loaded: string[] = [];
  for (const name of SDK_PACKAGES) {
    vi.doMock(name, async (importOriginal: () => Promise<unknown>) => {
      loaded.push(name);
      return importOriginal();
    });
  }
  const server = await startFaultServer({ 'HEAD /lazy-bucket/a.txt': { status: 200, headers: { etag: '"e"', 'content-length': '0' } } });
  try {
    const { createAws } = await import('./index');
    const provider = createAws({ baseURL: server.url, credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example-secret' } });
    expect(loaded, 'SDK packages loaded by importing @switchyard/aws and calling createAws').toEqual([]);
    await provider.execute(
      { capability: 'storage', operation: 'headObject', input: { bucket: 'lazy-bucket', key: 'a.txt' } },
      createCallContext(),
    );
    expect(loaded).toEqual(['@aws-sdk/client-s3']);
    expect(server.requests.map((request) => `${request.method} ${request.pathname}`)).toEqual(['HEAD /lazy-bucket/a.txt']);
  } finally {
    await server.close();
    for (const name of SDK_PACKAGES) vi.doUnmock(name);
  }
});
