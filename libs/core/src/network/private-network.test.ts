import { describe, expect, it } from 'vitest';
import { assertPublicHost, publicOnlyLookup } from './private-network';

describe('the private-network guard', () => {
  it('refuses hostnames and literals that resolve to loopback', async () => {
    await expect(assertPublicHost('localhost', 'acme')).rejects.toMatchObject({ kind: 'validation', provider: 'acme' });
    await expect(assertPublicHost('127.0.0.1')).rejects.toMatchObject({ kind: 'validation' });
    await expect(assertPublicHost('[::1]')).rejects.toMatchObject({ kind: 'validation' });
    await expect(assertPublicHost('8.8.8.8')).resolves.toBeUndefined();
  });

  it('refuses private addresses at connect time (DNS rebinding)', async () => {
    const error = await new Promise<unknown>((resolve) => {
      publicOnlyLookup('localhost', {}, (failure) => resolve(failure));
    });
    expect(error).toMatchObject({ kind: 'validation', code: 'ERR_PRIVATE_ADDRESS' });
  });
});
