import { createCallContext, startFaultServer, type FaultServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAws } from './index';
import { MOTO_CREDENTIALS } from './testing/index';

const xml = (code: string, message: string) => ({
  headers: { 'content-type': 'application/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>R1</RequestId></Error>`,
});

const STEADY = {
  FunctionName: 'steady',
  Runtime: 'nodejs22.x',
  Handler: 'index.handler',
  MemorySize: 128,
  Timeout: 3,
  State: 'Active',
  LastModified: '2026-01-01T00:00:00.000+0000',
};

describe('faults on the wire', () => {
  let server: FaultServer;

  beforeAll(async () => {
    server = await startFaultServer({
      'GET /slow-bucket/a.txt': { status: 503, ...xml('SlowDown', 'Please reduce your request rate.'), headers: { 'content-type': 'application/xml', 'retry-after': '3' } },
      'GET /busy-bucket/a.txt': { status: 503, ...xml('SlowDown', 'Please reduce your request rate.') },
      'GET /broken-bucket/a.txt': { status: 500, ...xml('InternalError', 'We encountered an internal error.') },
      'GET /reset-bucket/a.txt': { fault: 'reset' },
      'GET /hang-bucket/a.txt': { fault: 'hang' },
      'GET /2015-03-31/functions/throttled': {
        status: 429,
        headers: { 'x-amzn-errortype': 'TooManyRequestsException', 'retry-after': '2' },
        body: { Type: 'User', message: 'Rate exceeded', Reason: 'CallerRateLimitExceeded' },
      },
      'POST /2015-03-31/functions/missing/invocations': {
        status: 404,
        headers: { 'x-amzn-errortype': 'ResourceNotFoundException' },
        body: { Type: 'User', Message: 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:missing' },
      },
      'POST /partial-bucket/': {
        headers: { 'content-type': 'application/xml' },
        body: '<?xml version="1.0" encoding="UTF-8"?><DeleteResult><Deleted><Key>a.txt</Key></Deleted><Error><Key>locked.txt</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>',
      },
      'GET /2015-03-31/functions/steady': { body: { Configuration: STEADY } },
      'PUT /2015-03-31/functions/steady/code': { body: STEADY },
      'PUT /2015-03-31/functions/steady/configuration': { body: STEADY },
      'POST /2015-03-31/functions/failing/invocations': {
        status: 200,
        headers: { 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' },
        body: { errorType: 'TypeError', errorMessage: 'boom', trace: [] },
      },
    });
  });

  afterAll(async () => {
    await server.close();
  });

  const provider = () => createAws({ baseURL: server.url, credentials: MOTO_CREDENTIALS });
  const getObject = (bucket: string, signal?: AbortSignal) =>
    provider()
      .execute(
        { capability: 'storage', operation: 'getObject', input: { bucket, key: 'a.txt' } },
        createCallContext(signal === undefined ? {} : { signal }),
      )
      .catch((error: unknown) => error);

  it('reports 503 SlowDown as a rate limit with the Retry-After delay, after one request', async () => {
    const before = server.requests.length;
    expect(await getObject('slow-bucket')).toMatchObject({ kind: 'rate_limit', statusCode: 503, retryAfterMs: 3000, isRetryable: true });
    expect(server.requests.length - before, 'the SDK does not retry on its own').toBe(1);
  });

  it('reports SlowDown without Retry-After as a rate limit with a default delay', async () => {
    expect(await getObject('busy-bucket')).toMatchObject({ kind: 'rate_limit', retryAfterMs: 1000 });
  });

  it('reports a 500 InternalError as a retryable provider error', async () => {
    expect(await getObject('broken-bucket')).toMatchObject({ kind: 'provider', statusCode: 500, isRetryable: true });
  });

  it('reports a connection reset as a retryable network error', async () => {
    expect(await getObject('reset-bucket')).toMatchObject({ kind: 'network', isRetryable: true });
  });

  it('reports a hanging answer as a timeout once the call signal aborts', async () => {
    const started = Date.now();
    expect(await getObject('hang-bucket', AbortSignal.timeout(300))).toMatchObject({ kind: 'timeout', isRetryable: true });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a Lambda 429 TooManyRequestsException as a rate limit with its Retry-After', async () => {
    const outcome = await provider()
      .execute({ capability: 'functions', operation: 'getFunction', input: { name: 'throttled' } }, createCallContext())
      .catch((error: unknown) => error);
    expect(outcome).toMatchObject({ kind: 'rate_limit', statusCode: 429, retryAfterMs: 2000 });
  });

  it('lists the keys deleteObjects could not delete with their classified error', async () => {
    const output = await provider().execute(
      { capability: 'storage', operation: 'deleteObjects', input: { bucket: 'partial-bucket', keys: ['a.txt', 'locked.txt', 'a.txt'] } },
      createCallContext(),
    );
    expect(output).toEqual({
      deleted: ['a.txt'],
      errors: [{ key: 'locked.txt', kind: 'auth', message: 'AWS answered AccessDenied: Access Denied' }],
    });
    const sent = server.requests.find((request) => request.pathname === '/partial-bucket/');
    expect(sent?.body.match(/<Key>/g), 'duplicate keys are sent once').toHaveLength(2);
  });

  const invoke = (name: string) =>
    provider()
      .execute({ capability: 'functions', operation: 'invokeFunction', input: { name, payload: { a: 1 }, mode: 'sync' } }, createCallContext())
      .catch((error: unknown) => error);

  it('reports Lambda’s 404 ResourceNotFoundException on Invoke as not_found', async () => {
    expect(await invoke('missing')).toMatchObject({ kind: 'not_found', statusCode: 404 });
  });

  it('returns a function’s own failure as functionError with its error type, not as a failed call', async () => {
    expect(await invoke('failing')).toEqual({
      statusCode: 200,
      result: { errorType: 'TypeError', errorMessage: 'boom', trace: [] },
      functionError: 'TypeError',
    });
  });

  it('redeploys with the same settings by replacing the code only, and updates only the settings that differ', async () => {
    const deploy = async (extra: object) => {
      const before = server.requests.length;
      const input = { name: 'steady', zipBase64: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', runtime: 'nodejs22.x', handler: 'index.handler', ...extra };
      const output = await provider().execute({ capability: 'functions', operation: 'deployFunction', input }, createCallContext());
      expect(output).toMatchObject({ name: 'steady', state: 'active', lastModified: '2026-01-01T00:00:00.000Z' });
      return server.requests.slice(before);
    };
    const same = await deploy({});
    expect(same.map((request) => `${request.method} ${request.pathname}`)).toEqual([
      'GET /2015-03-31/functions/steady',
      'PUT /2015-03-31/functions/steady/code',
    ]);
    const bigger = await deploy({ memoryMb: 256, environment: { STAGE: 'prod' } });
    expect(bigger.map((request) => `${request.method} ${request.pathname}`)).toEqual([
      'GET /2015-03-31/functions/steady',
      'PUT /2015-03-31/functions/steady/configuration',
      'PUT /2015-03-31/functions/steady/code',
    ]);
    expect(JSON.parse(bigger[1]?.body ?? '{}')).toEqual({ MemorySize: 256, Environment: { Variables: { STAGE: 'prod' } } });
  });

  it('reports a refused connection as a network error', async () => {
    const unreachable = createAws({ baseURL: 'http://127.0.0.1:9', credentials: MOTO_CREDENTIALS });
    const outcome = await unreachable
      .execute({ capability: 'storage', operation: 'headObject', input: { bucket: 'any-bucket', key: 'a' } }, createCallContext())
      .catch((error: unknown) => error);
    expect(outcome).toMatchObject({ kind: 'network', isRetryable: true });
  });
});
