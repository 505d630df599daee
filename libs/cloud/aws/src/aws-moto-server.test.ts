import { afterEach, expect, it } from 'vitest';
import { createAws } from './index';
import { MOTO_CREDENTIALS, startMotoServer } from './testing/index';
import { createCallContext } from '@switchyard/testing';

const path = process.env.PATH;

afterEach(() => {
  process.env.PATH = path;
});

it('says how to install moto when moto_server is not on PATH', async () => {
  process.env.PATH = '/nonexistent-switchyard-path';
  await expect(startMotoServer()).rejects.toThrow(/moto_server is not installed.*pip install 'moto\[server\]==5\.2\.1'/);
});

it('forgets every bucket on reset', async () => {
  const moto = await startMotoServer();
  try {
    const aws = createAws({ baseURL: moto.url, credentials: MOTO_CREDENTIALS, capabilities: ['storage'] });
    const head = () =>
      aws.execute({ capability: 'storage', operation: 'listObjects', input: { bucket: 'reset-me' } }, createCallContext()).then(
        () => 'exists',
        (error: { kind?: string }) => error.kind,
      );
    await aws.execute({ capability: 'storage', operation: 'createBucket', input: { bucket: 'reset-me' } }, createCallContext());
    expect(await head()).toBe('exists');
    await moto.reset();
    expect(await head()).toBe('not_found');
  } finally {
    await moto.stop();
  }
});
