import type { EC2Client } from '@aws-sdk/client-ec2';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretSet } from '@switchyard/core';
import type { AwsErrors } from './aws-error';
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

/** A `finalizeRequest` middleware of any SDK v3 client: it sees the signed request and passes it on. */
type FinalizeMiddleware = <Args extends { readonly request: unknown }, Result>(
  next: (args: Args) => Promise<Result>,
) => (args: Args) => Promise<Result>;

/** The parts of an SDK v3 client {@link lazy} uses. */
interface SdkClient {
  readonly config: { credentials(): Promise<{ readonly secretAccessKey?: string }> };
  readonly middlewareStack: {
    addRelativeTo(
      middleware: FinalizeMiddleware,
      options: { readonly relation: 'after'; readonly toMiddleware: string; readonly name: string },
    ): void;
  };
}

/**
 * Keeps the session token and the signature of every request the client
 * signs, in the client's slots of `secrets`, as the request goes out. The
 * signed request is the only place that tells which token is sent: the SDK
 * refreshes expiring credentials in the background, so a token resolved
 * before the call may already be replaced when the call is signed. The
 * signature is kept so that a bare echo of it (S3's `SignatureProvided`) is
 * redacted too; `Signature=` anywhere is the set's pattern. A new value
 * replaces the last.
 */
function keepSessionTokens(client: SdkClient, service: string, secrets: SecretSet): void {
  client.middlewareStack.addRelativeTo(
    (next) => async (args) => {
      const { headers } = args.request as { readonly headers?: Readonly<Record<string, string | undefined>> };
      secrets.set(`identity:${service}:sessionToken`, headers?.['x-amz-security-token']);
      secrets.set(`identity:${service}:signature`, /\bSignature=([0-9a-f]+)/.exec(headers?.authorization ?? '')?.[1]);
      return next(args);
    },
    { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'switchyardKeepSessionToken' },
  );
}

/**
 * Caches one client; a failed creation is not cached, so the next call tries
 * again. The provider's `secrets` learn the client's credentials: each call
 * resolves them (the SDK memoizes and refreshes them) and keeps the secret
 * access key, which credentials from the SDK's default chain (environment,
 * profile, SSO, instance role) only reveal at this point, and each signed
 * request's session token is kept as it is sent. Both go in slots of the
 * client (`identity:s3:...`), so a refreshed identity replaces the last.
 */
function lazy<Client extends SdkClient>(service: string, secrets: SecretSet, create: () => Promise<Client>): () => Promise<Client> {
  let client: Promise<Client> | undefined;
  const created = async () => {
    const sdkClient = await create();
    keepSessionTokens(sdkClient, service, secrets);
    return sdkClient;
  };
  return async () => {
    client ??= created().catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    const ready = await client;
    const identity = await ready.config.credentials();
    secrets.set(`identity:${service}:secretAccessKey`, identity.secretAccessKey);
    return ready;
  };
}

/**
 * Creates the lazy SDK clients for resolved settings. Every client makes one
 * attempt per call (`maxAttempts: 1`): retrying is the router's job, and it
 * honours the `retryAfterMs` the error mapping reports. All of them send
 * through the settings' `requestHandler` when one is given, and keep the
 * credentials they resolve in `secrets`.
 */
export function createAwsClients(settings: ResolvedAwsSettings, secrets: SecretSet): AwsClients {
  const common = (endpoint: string | undefined) => ({
    region: settings.region,
    maxAttempts: 1,
    ...(settings.requestHandler === undefined ? {} : { requestHandler: settings.requestHandler }),
    // A copy: the SDK writes a `$source` field into the credentials object it is given (frozen ones break it).
    ...(settings.credentials === undefined ? {} : { credentials: { ...settings.credentials } }),
    ...(endpoint === undefined ? {} : { endpoint }),
  });
  return {
    s3: lazy('s3', secrets, async () => {
      const { S3Client } = await import('@aws-sdk/client-s3');
      return new S3Client({ ...common(settings.s3.endpoint), forcePathStyle: settings.s3.forcePathStyle });
    }),
    lambda: lazy('lambda', secrets, async () => {
      const { LambdaClient } = await import('@aws-sdk/client-lambda');
      return new LambdaClient(common(settings.lambda.endpoint));
    }),
    ec2: lazy('ec2', secrets, async () => {
      const { EC2Client } = await import('@aws-sdk/client-ec2');
      return new EC2Client(common(settings.ec2.endpoint));
    }),
  };
}

/** What an operation handler receives besides its input. */
export interface AwsCall {
  readonly clients: AwsClients;
  readonly settings: ResolvedAwsSettings;
  /** The provider's error factory, redacting with its secrets. */
  readonly errors: AwsErrors;
  /** The hub's signal: passed as `abortSignal` to every SDK `send`. */
  readonly signal: AbortSignal;
  /** `capability.operation`, for error messages. */
  readonly operation: string;
}
