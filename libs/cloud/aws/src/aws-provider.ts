import { defineProvider, type ProviderHealthReport, type ProviderV1 } from '@switchyard/core';
import { awsCapability } from './aws-capabilities';
import { createAwsClients } from './aws-clients';
import { createAwsErrors } from './aws-error';
import { awsHealthReport } from './aws-health';
import { createAwsSecrets } from './aws-secrets';
import { AWS_CAPABILITIES, resolveAwsSettings, type AwsProviderSettings } from './aws-settings';

export type { AwsCapability, AwsCredentials, AwsProviderSettings, EC2Config, LambdaConfig, S3Config } from './aws-settings';

/** The AWS provider: a complete provider object for `hub.register()`. */
export interface AwsProvider extends ProviderV1 {
  /** The region after settings, environment and default are applied. */
  readonly region: string;
  /** The endpoint override for every service, or `undefined` for the public AWS endpoints. */
  readonly baseURL: string | undefined;
  /** Reports S3, Lambda and EC2 (those enabled) as reachable or not, with latency and a redacted error. */
  healthCheck(context: { readonly signal: AbortSignal }): Promise<ProviderHealthReport>;
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
  const secrets = createAwsSecrets();
  const resolved = resolveAwsSettings(settings, secrets);
  const clients = createAwsClients(resolved, secrets);
  const errors = createAwsErrors(secrets);
  const enabled = AWS_CAPABILITIES.filter((capability) => resolved.capabilities.has(capability));
  return defineProvider({
    id: 'aws',
    name: 'Amazon Web Services',
    category: 'cloud',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/blob/main/docs/providers/aws.md',
    authKinds: ['signature', 'sdk-chain'],
    capabilities: enabled.map((capability) => awsCapability(capability, clients, resolved, errors)),
    healthCheck: ({ signal }) => awsHealthReport(enabled, clients, errors, signal),
    secrets,
    properties: { region: resolved.region, baseURL: resolved.baseURL },
  });
}
