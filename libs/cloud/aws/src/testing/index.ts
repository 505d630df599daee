import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { ProviderCallContext, ProviderRequest, ProviderV1 } from '@switchyard/core';
import type { PeerProcess } from '@switchyard/testing';
import { loadTestKit } from './aws-test-kit';

/** A running moto_server: the local AWS peer `@switchyard/aws` is tested against. */
export interface MotoServer extends PeerProcess {
  /** moto_server itself, without the metadata-name front that `url` points at. */
  readonly motoUrl: string;
  /** Forgets every bucket, function, role and instance (`POST /moto-api/reset`). */
  reset(): Promise<void>;
}

/** Credentials moto accepts (it checks no signatures); any non-empty values work. */
export const MOTO_CREDENTIALS = Object.freeze({ accessKeyId: 'testing', secretAccessKey: 'moto-testing-secret' });

/** The role {@link prepareMotoLambda} creates. */
export const MOTO_LAMBDA_ROLE_NAME = 'switchyard-lambda';

async function motoRequest(url: string, init: RequestInit, what: string): Promise<string> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`moto_server refused ${what} (HTTP ${response.status}): ${text.slice(0, 500)}`);
  return text;
}

const METADATA_HEADER = 'x-amz-meta-';

function renameMetadataHeaders(headers: IncomingHttpHeaders, from: string, to: string): IncomingHttpHeaders {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) =>
      name.startsWith(METADATA_HEADER) ? [METADATA_HEADER + name.slice(METADATA_HEADER.length).replaceAll(from, to), value] : [name, value],
    ),
  );
}

/**
 * A pass-through HTTP front for moto_server. moto's HTTP server (Werkzeug)
 * drops request headers whose names contain `_`, so `x-amz-meta-build_id`
 * would never be stored, while real S3 keeps it. The front sends such names
 * with `-` and answers with `_` again; storage v1 metadata names never
 * contain `-`, so the round trip is exact. Everything else passes unchanged.
 */
async function startMetadataNameFront(target: string): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const { listenOnLoopback } = await loadTestKit();
  const server = createServer((incoming, outgoing) => {
    const upstream = request(
      `${target}${incoming.url ?? '/'}`,
      { method: incoming.method, headers: renameMetadataHeaders(incoming.headers, '_', '-') },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, renameMetadataHeaders(response.headers, '-', '_'));
        response.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  return listenOnLoopback(server);
}

/**
 * Starts `moto_server -H 127.0.0.1 -p PORT` (moto 5.2) on a free loopback
 * port and waits until `/moto-api/` answers. Fails with an install hint when
 * moto, or the optional peer dependency `@switchyard/testing`, is missing.
 * `url` points at a pass-through front that keeps S3 metadata names with `_`
 * intact (moto's own HTTP server drops them); `motoUrl` is moto itself. Stop
 * both with `stop()` after the tests.
 *
 * @example
 * ```ts
 * const moto = await startMotoServer();
 * const aws = createAws({ baseURL: moto.url, credentials: MOTO_CREDENTIALS });
 * // ...
 * await moto.stop();
 * ```
 */
export async function startMotoServer(): Promise<MotoServer> {
  const { startPeerProcess } = await loadTestKit();
  const peer = await startPeerProcess({
    name: 'moto_server',
    command: 'moto_server',
    args: (port) => ['-H', '127.0.0.1', '-p', String(port)],
    readyPath: '/moto-api/',
    readyOutput: /Running on http/,
    missingHint:
      "The AWS tests need moto 5.2 with its server extra: pip install 'moto[server]==5.2.1' (Python 3.9+), so that moto_server is on PATH.",
  });
  const front = await startMetadataNameFront(peer.url).catch(async (error: unknown) => {
    await peer.stop();
    throw error;
  });
  return {
    url: front.url,
    port: front.port,
    motoUrl: peer.url,
    output: () => peer.output(),
    async stop() {
      await front.close();
      await peer.stop();
    },
    async reset() {
      await motoRequest(`${peer.url}/moto-api/reset`, { method: 'POST' }, 'a reset');
    },
  };
}

/**
 * Makes a moto_server ready for Lambda: turns off Docker (so functions are
 * created without running them and Invoke echoes the payload back) and
 * creates an IAM role through moto's IAM Query API. Returns the role ARN to
 * pass as `lambda.roleArn`. Safe to call again after a `reset()`.
 */
export async function prepareMotoLambda(motoUrl: string): Promise<string> {
  await motoRequest(
    `${motoUrl}/moto-api/config`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lambda: { use_docker: false } }) },
    'the Lambda configuration',
  );
  const form = new URLSearchParams({
    Action: 'CreateRole',
    Version: '2010-05-08',
    RoleName: MOTO_LAMBDA_ROLE_NAME,
    AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
  });
  const text = await fetch(`${motoUrl}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      // moto routes by the service named in the credential scope; it checks no signature.
      authorization: 'AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: form,
  }).then((response) => response.text());
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(text)?.[1];
  if (arn !== undefined) return arn;
  if (text.includes('EntityAlreadyExists')) return `arn:aws:iam::123456789012:role/${MOTO_LAMBDA_ROLE_NAME}`;
  throw new Error(`moto_server did not create the Lambda role: ${text.slice(0, 500)}`);
}

/**
 * Launches two fresh t3.micro instances on a moto_server, with any image moto
 * knows, tags them `Name: switchyard-running` / `switchyard-stopped`, stops
 * the second and waits until moto reports it `stopped`. Returns their ids:
 * what `testComputeProvider`'s `instances` option wants.
 */
export async function createMotoInstances(motoUrl: string): Promise<{ running: string; stopped: string }> {
  const { DescribeImagesCommand, DescribeInstancesCommand, EC2Client, RunInstancesCommand, StopInstancesCommand } =
    await import('@aws-sdk/client-ec2');
  const ec2 = new EC2Client({ region: 'us-east-1', endpoint: motoUrl, credentials: { ...MOTO_CREDENTIALS }, maxAttempts: 1 });
  try {
    const imageId = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], MaxResults: 5 }))).Images?.[0]?.ImageId;
    if (imageId === undefined) throw new Error('moto_server knows no machine image to launch');
    const launch = async (name: string) => {
      const output = await ec2.send(
        new RunInstancesCommand({
          ImageId: imageId,
          InstanceType: 't3.micro',
          MinCount: 1,
          MaxCount: 1,
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: name }] }],
        }),
      );
      const id = output.Instances?.[0]?.InstanceId;
      if (id === undefined) throw new Error('moto_server launched no instance');
      return id;
    };
    const running = await launch('switchyard-running');
    const stopped = await launch('switchyard-stopped');
    await ec2.send(new StopInstancesCommand({ InstanceIds: [stopped] }));
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [running, stopped] }));
      const states = new Map(
        (described.Reservations ?? [])
          .flatMap((reservation) => reservation.Instances ?? [])
          .map((instance) => [instance.InstanceId, instance.State?.Name]),
      );
      if (states.get(running) === 'running' && states.get(stopped) === 'stopped') return { running, stopped };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`moto_server did not settle instances ${running} (running) and ${stopped} (stopped)`);
  } finally {
    ec2.destroy();
  }
}

/**
 * Works around a moto_server limit: without Docker, moto's Lambda answers
 * every Invoke with the payload, even for a function that does not exist,
 * where real Lambda answers 404 ResourceNotFoundException. The returned copy
 * of `provider` reads the function (getFunction) before each invokeFunction,
 * so a missing one fails with `not_found` as on AWS. For tests against moto
 * only; `provider` itself is not changed and never makes that extra call.
 */
export function withMotoInvokeCheck(provider: ProviderV1): ProviderV1 {
  return Object.freeze({
    ...provider,
    async execute(request: ProviderRequest, context: ProviderCallContext) {
      if (request.capability === 'functions' && request.operation === 'invokeFunction') {
        const { name } = request.input as { name?: unknown };
        await provider.execute({ capability: 'functions', operation: 'getFunction', input: { name } }, context);
      }
      return provider.execute(request, context);
    },
  });
}
