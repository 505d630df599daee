import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { loadOptionalSetting, withoutTrailingSlash, type SecretSet } from '@switchyard/core';
import type { HttpTransportSettings } from '@switchyard/http';

/** A capability `@switchyard/aws` can offer, and the AWS service behind it. */
export type AwsCapability = 'storage' | 'functions' | 'compute';

/** Static AWS credentials. Both secrets are kept in the provider's secret set as soon as the provider is created, for redaction. */
export interface AwsCredentials {
  /** The access key id, e.g. `AKIA...`. */
  readonly accessKeyId: string;
  /** The secret access key. */
  readonly secretAccessKey: string;
  /** The session token of temporary (STS) credentials. Default: none. */
  readonly sessionToken?: string | undefined;
}

/** S3 settings, used by the `storage` capability. */
export interface S3Config {
  /**
   * Address buckets as `https://host/bucket/key` instead of `https://bucket.host/key`.
   * Default: `true` when an endpoint override is set (local peers such as moto need it), else `false`.
   */
  readonly forcePathStyle?: boolean | undefined;
  /** Endpoint for S3 only. Default: the `AWS_ENDPOINT_URL_S3` environment variable, else `baseURL`. */
  readonly endpoint?: string | undefined;
}

/** Lambda settings, used by the `functions` capability. */
export interface LambdaConfig {
  /**
   * The execution role new functions get (`deployFunction` creating a function needs it; updating does not).
   * Default: the `AWS_LAMBDA_ROLE_ARN` environment variable.
   */
  readonly roleArn?: string | undefined;
  /** Endpoint for Lambda only. Default: the `AWS_ENDPOINT_URL_LAMBDA` environment variable, else `baseURL`. */
  readonly endpoint?: string | undefined;
}

/** EC2 settings, used by the `compute` capability. */
export interface EC2Config {
  /** Endpoint for EC2 only. Default: the `AWS_ENDPOINT_URL_EC2` environment variable, else `baseURL`. */
  readonly endpoint?: string | undefined;
}

/**
 * Settings for `createAws`. Every field is optional; nothing is read or sent
 * until an operation is called.
 *
 * Of the shared `HttpTransportSettings`, only `baseURL` applies: requests go
 * through the AWS SDK, whose transport is its `requestHandler` (the SDK's
 * equivalent of `dispatcher`). There is no `allowPrivateNetwork`: the SDK
 * makes its own connections, outside the kit's SSRF guard, so no address is
 * refused (local peers such as moto_server need no opt-in).
 */
export interface AwsProviderSettings extends Pick<HttpTransportSettings, 'baseURL'> {
  /**
   * The AWS region the clients talk to, e.g. `eu-west-1`.
   * Default: the `AWS_REGION` environment variable, else `AWS_DEFAULT_REGION`, else `us-east-1`.
   */
  readonly region?: string | undefined;
  /**
   * Static credentials. Default: the AWS SDK's default chain (`AWS_ACCESS_KEY_ID`,
   * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_PROFILE` and shared config files,
   * SSO, web identity, container and instance roles). Secrets from either source are
   * kept in the provider's own secret set, for redaction.
   */
  readonly credentials?: AwsCredentials | undefined;
  /**
   * Endpoint override for every service, e.g. `http://127.0.0.1:5000` for moto_server.
   * Default: the `AWS_ENDPOINT_URL` environment variable, else the public AWS endpoints.
   */
  readonly baseURL?: string | undefined;
  /**
   * The transport every SDK client sends through, passed as its `requestHandler`:
   * this provider's equivalent of the `dispatcher` other providers take. A
   * handler instance (e.g. `new NodeHttpHandler({ httpsAgent })` from
   * `@smithy/node-http-handler` for a proxy or custom agent) or its options
   * (e.g. `{ requestTimeout: 5000 }`). Default: the SDK's own `NodeHttpHandler`.
   */
  readonly requestHandler?: S3ClientConfig['requestHandler'];
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

/** Settings after defaults and environment variables are applied. */
export interface ResolvedAwsSettings {
  readonly region: string;
  readonly credentials: AwsCredentials | undefined;
  readonly baseURL: string | undefined;
  readonly requestHandler: S3ClientConfig['requestHandler'];
  readonly capabilities: ReadonlySet<AwsCapability>;
  readonly s3: { readonly endpoint: string | undefined; readonly forcePathStyle: boolean };
  readonly lambda: { readonly endpoint: string | undefined; readonly roleArn: string | undefined };
  readonly ec2: { readonly endpoint: string | undefined };
}

/** Every capability, in manifest order: the default of `capabilities`. */
export const AWS_CAPABILITIES: readonly AwsCapability[] = ['storage', 'functions', 'compute'];

const DEFAULT_REGION = 'us-east-1';

function endpoint(settingValue: string | undefined, environmentVariableName: string, fallback: string | undefined) {
  const value = loadOptionalSetting({ settingValue, environmentVariableName }) ?? fallback;
  return value === undefined ? undefined : withoutTrailingSlash(value);
}

/**
 * Applies defaults and environment variables to {@link AwsProviderSettings}
 * and adds any static secrets to `secrets`, the provider's set. Reads no
 * files and makes no requests.
 */
export function resolveAwsSettings(settings: AwsProviderSettings, secrets: SecretSet): ResolvedAwsSettings {
  const region =
    loadOptionalSetting({ settingValue: settings.region, environmentVariableName: 'AWS_REGION' }) ??
    loadOptionalSetting({ settingValue: undefined, environmentVariableName: 'AWS_DEFAULT_REGION' }) ??
    DEFAULT_REGION;
  const baseURL = endpoint(settings.baseURL, 'AWS_ENDPOINT_URL', undefined);
  const s3Endpoint = endpoint(settings.s3?.endpoint, 'AWS_ENDPOINT_URL_S3', baseURL);
  const credentials = settings.credentials;
  secrets.add(credentials?.secretAccessKey);
  secrets.add(credentials?.sessionToken);
  return {
    region,
    credentials,
    baseURL,
    requestHandler: settings.requestHandler,
    capabilities: new Set(settings.capabilities ?? AWS_CAPABILITIES),
    s3: { endpoint: s3Endpoint, forcePathStyle: settings.s3?.forcePathStyle ?? s3Endpoint !== undefined },
    lambda: {
      endpoint: endpoint(settings.lambda?.endpoint, 'AWS_ENDPOINT_URL_LAMBDA', baseURL),
      roleArn: loadOptionalSetting({ settingValue: settings.lambda?.roleArn, environmentVariableName: 'AWS_LAMBDA_ROLE_ARN' }),
    },
    ec2: { endpoint: endpoint(settings.ec2?.endpoint, 'AWS_ENDPOINT_URL_EC2', baseURL) },
  };
}
