import {
  computeV1,
  createCapabilityDispatcher,
  functionsV1,
  storageV1,
  type CapabilityContract,
  type CapabilityHandlers,
  type OperationHandler,
  type ProviderHealthReport,
  type ProviderManifest,
  type ProviderV1,
} from '@switchyard/core';
import { createAwsClients, type AwsCall, type AwsClients } from './aws-clients';
import { ec2Handlers } from './aws-ec2';
import { awsError } from './aws-error';
import { awsHealthReport } from './aws-health';
import { lambdaHandlers } from './aws-lambda';
import { checkS3Input, s3Handlers } from './aws-s3';
import {
  AWS_CAPABILITIES,
  resolveAwsSettings,
  type AwsCapability,
  type AwsCredentials,
  type EC2Config,
  type LambdaConfig,
  type ResolvedAwsSettings,
  type S3Config,
} from './aws-settings';

export type { AwsCapability, AwsCredentials, EC2Config, LambdaConfig, S3Config } from './aws-settings';

/** Settings for {@link createAws}. Every field is optional; nothing is read or sent until an operation is called. */
export interface AwsProviderSettings {
  /**
   * The AWS region the clients talk to, e.g. `eu-west-1`.
   * Default: the `AWS_REGION` environment variable, else `AWS_DEFAULT_REGION`, else `us-east-1`.
   */
  readonly region?: string | undefined;
  /**
   * Static credentials. Default: the AWS SDK's default chain (`AWS_ACCESS_KEY_ID`,
   * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_PROFILE` and shared config files,
   * SSO, web identity, container and instance roles). Secrets from either source are
   * registered for redaction.
   */
  readonly credentials?: AwsCredentials | undefined;
  /**
   * Endpoint override for every service, e.g. `http://127.0.0.1:5000` for moto_server.
   * Default: the `AWS_ENDPOINT_URL` environment variable, else the public AWS endpoints.
   */
  readonly baseURL?: string | undefined;
  /**
   * The capabilities to offer; only their services are ever called.
   * Default: `['storage', 'functions', 'compute']` (S3, Lambda and EC2).
   */
  readonly capabilities?: readonly AwsCapability[] | undefined;
  /** S3 settings for `storage`. Default: `{}`. */
  readonly s3?: S3Config | undefined;
  /** Lambda settings for `functions`. Default: `{}`. */
  readonly lambda?: LambdaConfig | undefined;
  /** EC2 settings for `compute`. Default: `{}`. */
  readonly ec2?: EC2Config | undefined;
}

/** The AWS provider: a complete provider object for `hub.register()`. */
export interface AwsProvider extends ProviderV1 {
  /** The region after settings, environment and default are applied. */
  readonly region: string;
  /** The endpoint override for every service, or `undefined` for the public AWS endpoints. */
  readonly baseURL: string | undefined;
  /** Reports S3, Lambda and EC2 (those enabled) as reachable or not, with latency and a redacted error. */
  healthCheck(context: { readonly signal: AbortSignal }): Promise<ProviderHealthReport>;
}

type Handler = (input: never, call: AwsCall) => Promise<unknown>;

interface CapabilityBinding {
  readonly contract: CapabilityContract;
  readonly handlers: Readonly<Record<string, Handler>>;
  /** Provider rules the contract does not cover; throws a `validation` error. */
  readonly check?: (operation: string, input: never) => void;
}

const BINDINGS: Readonly<Record<AwsCapability, CapabilityBinding>> = {
  storage: { contract: storageV1, handlers: s3Handlers, check: checkS3Input },
  functions: { contract: functionsV1, handlers: lambdaHandlers },
  compute: { contract: computeV1, handlers: ec2Handlers },
};

/** Adapts a binding for the dispatcher: its check runs on the parsed input, then the handler gets an {@link AwsCall}. */
function bind({ contract, handlers, check }: CapabilityBinding, clients: AwsClients, settings: ResolvedAwsSettings): CapabilityHandlers {
  const adapted = Object.entries(handlers).map(([name, handler]): [string, OperationHandler] => {
    const operation = `${contract.name}.${name}`;
    return [
      name,
      async (input, { signal }) => {
        check?.(operation, input);
        return handler(input, { clients, settings, signal, operation });
      },
    ];
  });
  return { contract, handlers: Object.fromEntries(adapted) };
}

/**
 * Creates the AWS provider: `storage` v1 on S3, `functions` v1 on Lambda and
 * `compute` v1 on EC2. The SDK clients are created (and the SDK loaded) on
 * the first call to each service.
 *
 * @example
 * ```ts
 * import { createAws } from '@switchyard/aws';
 *
 * const aws = createAws({ region: 'eu-west-1', capabilities: ['storage'] });
 * ```
 */
export function createAws(settings: AwsProviderSettings = {}): AwsProvider {
  const resolved = resolveAwsSettings(settings);
  const clients = createAwsClients(resolved);
  const enabled = AWS_CAPABILITIES.filter((capability) => resolved.capabilities.has(capability));
  // Every input is parsed against its contract before its handler runs, so nothing invalid reaches AWS.
  const dispatcher = createCapabilityDispatcher('aws', enabled.map((capability) => bind(BINDINGS[capability], clients, resolved)));
  const manifest: ProviderManifest = Object.freeze({
    id: 'aws',
    name: 'Amazon Web Services',
    category: 'cloud',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/blob/main/docs/providers/aws.md',
    capabilities: dispatcher.capabilities,
    authKinds: Object.freeze(['signature', 'sdk-chain'] as const),
  });

  return {
    specificationVersion: 'v1',
    manifest,
    region: resolved.region,
    baseURL: resolved.baseURL,
    execute: (request, context) =>
      dispatcher.execute(request, context).catch((error: unknown) => {
        throw awsError(error, { operation: `${request.capability}.${request.operation}` });
      }),
    healthCheck: (context) => awsHealthReport(enabled, clients, context.signal),
  };
}
