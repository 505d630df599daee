import { describe, expect, it } from 'vitest';
import { loadOptionalPeer } from './optional-peer';

describe('loadOptionalPeer', () => {
  it('loads a peer that resolves', async () => {
    const module = await loadOptionalPeer({
      name: 'zod',
      requiredBy: 'x',
      from: import.meta.url,
      load: () => Promise.resolve({ loaded: true }),
    });
    expect(module).toEqual({ loaded: true });
  });

  it('says what to install when the peer is missing, and does not load it', async () => {
    let loaded = false;
    const load = () => {
      loaded = true;
      return Promise.resolve({});
    };
    await expect(
      loadOptionalPeer({ name: '@switchyard/no-such-peer', requiredBy: '@switchyard/github/testing', from: import.meta.url, load }),
    ).rejects.toThrow(
      '@switchyard/github/testing needs its optional peer dependency @switchyard/no-such-peer: npm install --save-dev @switchyard/no-such-peer',
    );
    expect(loaded).toBe(false);
  });
});
