import { createCallContext, startFaultServer, testProviderFaults, type FaultServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAws } from './index';
import { MOTO_CREDENTIALS } from './testing/index';

const xml = (code: string, message: string) => ({
  headers: { 'content-type': 'application/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>R1</RequestId></Error>`,
});

/** The `<Code>` sent with each status the shared suite scripts; none carries a hint (S3 itself never answers 401 or 429). */
const S3_CODE_BY_STATUS: Readonly<Record<number, string>> = {
  401: 'Unauthorized',
  404: 'NoSuchBucket',
  429: 'TooManyRequests',
  500: 'InternalError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
};

const PLANTED = {
  accessKeyId: 'AKIAPLANTED0123456789',
  secretAccessKey: 'aws-planted-secret-access-key-7f3a9c',
  sessionToken: 'aws-planted-session-token-b41e0d',
};

// listObjects, not getObject: its answer is XML the SDK parses, so a truncated body must fail.
testProviderFaults({
  provider: 'aws',
  create: (baseURL) => createAws({ baseURL, credentials: PLANTED, capabilities: ['storage'] }),
  request: { capability: 'storage', operation: 'listObjects', input: { bucket: 'fault-bucket' } },
  route: 'GET /fault-bucket/',
  errorAnswer: (status, message) => xml(S3_CODE_BY_STATUS[status] ?? 'InternalError', message),
  secrets: [PLANTED.secretAccessKey, PLANTED.sessionToken],
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
      'GET /slow-bucket/a.txt': {
        status: 503,
        ...xml('SlowDown', 'Please reduce your request rate.'),
        headers: { 'content-type': 'application/xml', 'retry-after': '3' },
      },
      'GET /busy-bucket/a.txt': { status: 503, ...xml('SlowDown', 'Please reduce your request rate.') },
      'GET /2015-03-31/functions/throttled': {
        status: 429,
        headers: { 'x-amzn-errortype': 'TooManyRequestsException' },
        body: { Type: 'User', message: 'Rate exceeded', Reason: 'CallerRateLimitExceeded' },
      },
      'GET /2015-03-31/functions/updating': { body: { Configuration: { ...STEADY, FunctionName: 'updating' } } },
      'PUT /2015-03-31/functions/updating/code': {
        status: 409,
        headers: { 'x-amzn-errortype': 'ResourceConflictException' },
        body: {
          Type: 'User',
          message:
            'The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:updating',
        },
      },
      'POST /': {
        status: 503,
        headers: { 'content-type': 'text/xml' },
        body: '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>R2</RequestID></Response>',
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
  const getObject = (bucket: string) =>
    provider()
      .execute({ capability: 'storage', operation: 'getObject', input: { bucket, key: 'a.txt' } }, createCallContext())
      .catch((error: unknown) => error);

  it('reports 503 SlowDown as a rate limit with the Retry-After delay, after one request', async () => {
    const before = server.requests.length;
    expect(await getObject('slow-bucket')).toMatchObject({ kind: 'rate_limit', statusCode: 503, retryAfterMs: 3000, isRetryable: true });
    expect(server.requests.length - before, 'the SDK does not retry on its own').toBe(1);
  });

  it('reports SlowDown without Retry-After as a rate limit with a default delay', async () => {
    expect(await getObject('busy-bucket')).toMatchObject({ kind: 'rate_limit', retryAfterMs: 1000 });
  });

  it('reports a Lambda 429 TooManyRequestsException without Retry-After as a rate limit with the default delay', async () => {
    const outcome = await provider()
      .execute({ capability: 'functions', operation: 'getFunction', input: { name: 'throttled' } }, createCallContext())
      .catch((error: unknown) => error);
    expect(outcome).toMatchObject({ kind: 'rate_limit', statusCode: 429, retryAfterMs: 1000 });
  });

  it('reports Lambda’s “update in progress” conflict as retryable, since it clears by itself', async () => {
    const input = { name: 'updating', zipBase64: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', runtime: 'nodejs22.x', handler: 'index.handler' };
    const outcome = await provider()
      .execute({ capability: 'functions', operation: 'deployFunction', input }, createCallContext())
      .catch((error: unknown) => error);
    expect(outcome).toMatchObject({ kind: 'conflict', statusCode: 409, isRetryable: true });
  });

  it('reports EC2’s 503 RequestLimitExceeded as a rate limit with the default delay', async () => {
    const outcome = await provider()
      .execute({ capability: 'compute', operation: 'listInstances', input: {} }, createCallContext())
      .catch((error: unknown) => error);
    expect(outcome).toMatchObject({ kind: 'rate_limit', statusCode: 503, retryAfterMs: 1000, isRetryable: true });
  });

  it('lists the keys deleteObjects could not delete with their classified error', async () => {
    const output = await provider().execute(
      { capability: 'storage', operation: 'deleteObjects', input: { bucket: 'partial-bucket', keys: ['a.txt', 'locked.txt', 'a.txt'] } },
      createCallContext(),
    );
    expect(output).toEqual({
      deleted: ['a.txt'],
      errors: [{ key: 'locked.txt', kind: 'auth', message: 'aws: storage.deleteObjects failed with AccessDenied: Access Denied' }],
    });
    const sent = server.requests.find((request) => request.pathname === '/partial-bucket/');
    expect(sent?.body.match(/<Key>/g), 'duplicate keys are sent once').toHaveLength(2);
  });

  const invoke = (name: string) =>
    provider()
      .execute(
        { capability: 'functions', operation: 'invokeFunction', input: { name, payload: { a: 1 }, mode: 'sync' } },
        createCallContext(),
      )
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
      const input = {
        name: 'steady',
        zipBase64: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==',
        runtime: 'nodejs22.x',
        handler: 'index.handler',
        ...extra,
      };
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
