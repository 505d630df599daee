import { inspect } from 'node:util';
import { createHub, redactText } from '@switchyard/core';
import { createCallContext, integrationErrorOf, startFaultServer, type FaultServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAws } from './index';

const credentials = { accessKeyId: 'AKIAECHOEXAMPLE01234', secretAccessKey: 'planted-aws-secret-key-echo-0123456789' };

/** Every run of 8 characters of `secret` found in `text`. */
const runsOf = (secret: string, text: string) =>
  Array.from({ length: secret.length - 7 }, (_, start) => secret.slice(start, start + 8)).filter((run) => text.includes(run));

/** The `Signature=` of a SigV4 Authorization header. */
const signatureOf = (authorization: string | undefined) => /Signature=([0-9a-f]+)/.exec(authorization ?? '')?.[1] ?? '';

describe('a service that echoes the SigV4 Authorization header', () => {
  let server: FaultServer;

  beforeAll(async () => {
    // S3's own SignatureDoesNotMatch lists the signature it was given; a proxy in front of it may quote the whole header.
    server = await startFaultServer({
      'GET /echo-bucket/a.txt': (request) => ({
        status: 403,
        headers: { 'content-type': 'application/xml' },
        body:
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code>` +
          `<Message>Rejected Authorization: ${String(request.headers.authorization)}; signature provided ${signatureOf(request.headers.authorization)}</Message>` +
          `<SignatureProvided>${signatureOf(request.headers.authorization)}</SignatureProvided><RequestId>R1</RequestId></Error>`,
      }),
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('shows no part of the signature in the error, its cause, or the hub’s events', async () => {
    const provider = createAws({ baseURL: server.url, credentials, capabilities: ['storage'] });
    const seen: unknown[] = [];
    const hub = createHub({
      providers: [provider],
      routing: { retry: { retries: 0 } },
      events: { attempt: (event) => void seen.push(event), request: (event) => void seen.push(event) },
    });
    try {
      const getObject = { capability: 'storage', operation: 'getObject', input: { bucket: 'echo-bucket', key: 'a.txt' } };
      const error = await integrationErrorOf(hub.execute(getObject));
      const direct = await integrationErrorOf(provider.execute(getObject, createCallContext()));
      expect(error).toMatchObject({ kind: 'auth', statusCode: 403 });
      expect(direct.message, 'the echo reached the message').toContain(
        'Rejected Authorization: AWS4-HMAC-SHA256 Credential=AKIAECHOEXAMPLE01234/',
      );
      const signatures = server.requests.map((request) => signatureOf(request.headers.authorization));
      expect(signatures.every((signature) => signature.length === 64)).toBe(true);
      const shown =
        [error, direct].map((value) => `${inspect(value, { depth: 10 })}\n${JSON.stringify(value)}`).join('\n') + JSON.stringify(seen);
      for (const signature of signatures) expect(runsOf(signature, shown)).toEqual([]);
      // S3 lists the signature it was given bare (`SignatureProvided`): the last one sent is kept for redaction.
      expect(redactText(`provided ${signatures.at(-1)}`, provider.secrets)).toBe('provided [REDACTED]');
    } finally {
      await hub.close();
    }
  });

  it('redacts any SigV4 or SigV4a Signature= value, and keeps the access key id and scope, which are not secret', () => {
    const { secrets } = createAws();
    const signature = 'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024';
    const header = `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-date, Signature=${signature}`;
    expect(redactText(`echoed ${header} back`, secrets)).toBe(
      'echoed AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-date, Signature=[REDACTED] back',
    );
    const sigv4a =
      '3045022100c2b4a4fe0ebd3f2c4e5d2c0f3e1b6a7d8c9e0f1a2b3c4d5e6f708192a3b4c5d602204a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7b8c';
    expect(
      redactText(`AWS4-ECDSA-P256-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/s3/aws4_request, Signature=${sigv4a}`, secrets),
    ).not.toContain(sigv4a.slice(0, 8));
  });
});
