import type { EC2Client } from '@aws-sdk/client-ec2';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import { registerSecret } from '@switchyard/core';
import type { ResolvedAwsSettings } from './aws-settings';

/**
 * The SDK clients one provider uses, created on first use. Each getter loads
 * its SDK package with a dynamic `import()`, so importing `@switchyard/aws`
 * loads no AWS SDK code, and a service that is never called is never loaded.
 */
export interface AwsClients {
  s3(): Promise<S3Client>;
  lambda(): Promise<LambdaClient>;
  ec2(): Promise<EC2Client>;
}

interface ClientWithCredentials {
  readonly config: { credentials(): Promise<{ readonly secretAccessKey?: string; readonly sessionToken?: string | undefined }> };
}

/**
 * Resolves the client's credentials (the SDK memoizes them) and registers
 * the secrets for redaction: credentials from the SDK's default chain
 * (environment, profile, SSO, instance role) are only known at this point.
 */
async function withRegisteredSecrets<Client extends ClientWithCredentials>(client: Client): Promise<Client> {
  const identity = await client.config.credentials();
  registerSecret(identity.secretAccessKey);
  registerSecret(identity.sessionToken);
  return client;
}

/** Caches one client; a failed creation is not cached, so the next call tries again. */
function lazy<Client extends ClientWithCredentials>(create: () => Promise<Client>): () => Promise<Client> {
  let client: Promise<Client> | undefined;
  return async () => {
    client ??= create().catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    return withRegisteredSecrets(await client);
  };
}

/**
 * Creates the lazy SDK clients for resolved settings. Every client makes one
 * attempt per call (`maxAttempts: 1`): retrying is the router's job, and it
 * honours the `retryAfterMs` the error mapping reports. All of them send
 * through the settings' `requestHandler` when one is given.
 */
export function createAwsClients(settings: ResolvedAwsSettings): AwsClients {
  const common = (endpoint: string | undefined) => ({
    region: settings.region,
    maxAttempts: 1,
    ...(settings.requestHandler === undefined ? {} : { requestHandler: settings.requestHandler }),
    // A copy: the SDK writes a `$source` field into the credentials object it is given (frozen ones break it).
    ...(settings.credentials === undefined ? {} : { credentials: { ...settings.credentials } }),
    ...(endpoint === undefined ? {} : { endpoint }),
  });
  return {
    s3: lazy(async () => {
      const { S3Client } = await import('@aws-sdk/client-s3');
      return new S3Client({ ...common(settings.s3.endpoint), forcePathStyle: settings.s3.forcePathStyle });
    }),
    lambda: lazy(async () => {
      const { LambdaClient } = await import('@aws-sdk/client-lambda');
      return new LambdaClient(common(settings.lambda.endpoint));
    }),
    ec2: lazy(async () => {
      const { EC2Client } = await import('@aws-sdk/client-ec2');
      return new EC2Client(common(settings.ec2.endpoint));
    }),
  };
}

/** What an operation handler receives besides its input. */
export interface AwsCall {
  readonly clients: AwsClients;
  readonly settings: ResolvedAwsSettings;
  /** The hub's signal: passed as `abortSignal` to every SDK `send`. */
  readonly signal: AbortSignal;
  /** `capability.operation`, for error messages. */
  readonly operation: string;
}
