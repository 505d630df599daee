import { createCallContext } from '@switchyard/testing';
import { describe, expect, it, vi } from 'vitest';

const sdk = vi.hoisted(() => ({ loads: 0 }));

vi.mock('@slack/web-api', async (importOriginal) => {
  sdk.loads += 1;
  return importOriginal();
});

describe('loading @slack/web-api', () => {
  it('waits until the first operation: importing the package and creating the provider load nothing', async () => {
    const { createSlack } = await import('./index');
    const slack = createSlack({ baseURL: 'http://127.0.0.1:9/api/', token: 'xoxb-lazy-0123456789' });
    expect(sdk.loads, 'loaded at import or creation').toBe(0);
    // Port 9 refuses the connection; the call still needs the SDK.
    await slack
      .execute({ capability: 'messaging', operation: 'getUser', input: { userId: 'W012A3CDE' } }, createCallContext())
      .catch(() => undefined);
    expect(sdk.loads, 'loaded by the first operation').toBe(1);
  });
});
