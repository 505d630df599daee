import { createCallContext } from '@switchyard/testing';
import { describe, expect, it, vi } from 'vitest';

const sdk = vi.hoisted(() => ({ loads: 0 }));

vi.mock('@octokit/rest', async (importOriginal) => {
  sdk.loads += 1;
  return importOriginal();
});

describe('loading @octokit/rest', () => {
  it('waits until the first operation: importing the package and creating the provider load nothing', async () => {
    const { createGithub } = await import('./index');
    const github = createGithub({ baseURL: 'http://127.0.0.1:9', token: 'ghp_lazy_0123456789' });
    expect(sdk.loads, 'loaded at import or creation').toBe(0);
    // Port 9 refuses the connection; the call still needs Octokit.
    await github
      .execute({ capability: 'repositories', operation: 'getRepository', input: { repository: 'acme/website' } }, createCallContext())
      .catch(() => undefined);
    expect(sdk.loads, 'loaded by the first operation').toBe(1);
  });
});
