import { createCallContext, echoFunctionZip, testFunctionsProvider } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAws } from './index';
import { lambdaTimestamp } from './aws-lambda';
import { MOTO_CREDENTIALS, prepareMotoLambda, startMotoServer, withMotoInvokeCheck, type MotoServer } from './testing/index';

let moto: MotoServer;
let roleArn: string;

beforeAll(async () => {
  moto = await startMotoServer();
  roleArn = await prepareMotoLambda(moto.url);
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

const createLambda = () =>
  createAws({ baseURL: moto.url, credentials: MOTO_CREDENTIALS, capabilities: ['functions'], lambda: { roleArn } });

testFunctionsProvider({
  // moto's Lambda echoes an Invoke of a missing function; real Lambda's 404 is covered in aws-faults.test.ts.
  create: () => withMotoInvokeCheck(createLambda()),
  deployInput: { runtime: 'nodejs22.x', handler: 'index.handler' },
  additionalTests: ({ createClient }) => {
    it('lists functions with a page size of 1 through Lambda markers', async () => {
      const functions = createClient();
      for (const name of ['sy-page-a', 'sy-page-b']) {
        await functions.call('deployFunction', { name, zipBase64: echoFunctionZip(), runtime: 'nodejs22.x' });
      }
      const first = await functions.call('listFunctions', { limit: 1 });
      expect(first.functions).toHaveLength(1);
      expect(first.nextCursor).toBeDefined();
      const second = await functions.call('listFunctions', { limit: 1, cursor: first.nextCursor ?? '' });
      expect(second.functions.map((info) => info.name)).not.toEqual(first.functions.map((info) => info.name));
    });

    it('reports the runtime and a last-modified timestamp', async () => {
      const functions = createClient();
      const deployed = await functions.call('deployFunction', {
        name: 'sy-described',
        zipBase64: echoFunctionZip(),
        runtime: 'python3.12',
        handler: 'main.handler',
      });
      expect(deployed).toMatchObject({ name: 'sy-described', runtime: 'python3.12', state: 'active' });
      expect(Date.now() - Date.parse(deployed.lastModified ?? '')).toBeLessThan(60_000);
    });
  },
});

describe('deployFunction without what Lambda needs to create a function', () => {
  it('asks for a role when none is configured, naming the setting', async () => {
    const provider = createAws({ baseURL: moto.url, credentials: MOTO_CREDENTIALS, capabilities: ['functions'] });
    const input = { name: 'sy-no-role', zipBase64: echoFunctionZip(), runtime: 'nodejs22.x' };
    const outcome = await provider
      .execute({ capability: 'functions', operation: 'deployFunction', input }, createCallContext())
      .catch((error: unknown) => error);
    expect(outcome).toMatchObject({ kind: 'validation', message: expect.stringContaining('AWS_LAMBDA_ROLE_ARN') as string });
  });

  it('asks for a runtime when creating', async () => {
    const input = { name: 'sy-no-runtime', zipBase64: echoFunctionZip() };
    const outcome = await createLambda()
      .execute({ capability: 'functions', operation: 'deployFunction', input }, createCallContext())
      .catch((error: unknown) => error);
    expect(outcome).toMatchObject({ kind: 'validation', message: expect.stringContaining('runtime') as string });
  });
});

describe('lambdaTimestamp', () => {
  it.each([
    ['2019-08-14T22:24:21.478+0000', '2019-08-14T22:24:21.478Z'],
    ['2026-01-01T03:27:21.051088000Z', '2026-01-01T03:27:21.051Z'],
    ['2026-01-01T05:00:00+02:00', '2026-01-01T03:00:00.000Z'],
    ['not a date', undefined],
  ])('reads %s as %s', (input, expected) => {
    expect(lambdaTimestamp(input)).toBe(expected);
  });
});
