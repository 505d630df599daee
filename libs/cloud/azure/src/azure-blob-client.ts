import { loadOptionalSetting, withoutTrailingSlash, type SecretSet } from '@switchyard/core';
import type * as BlobSdkModule from '@azure/storage-blob';
import type { BlobServiceClient, IHttpClient, StoragePipelineOptions } from '@azure/storage-blob';
import type { AzureErrors } from './azure-error';
import { addSasToken } from './azure-secrets';
import type { AzureStorageSettings } from './azure-settings';

type BlobSdk = typeof BlobSdkModule;

/** The blob SDK and a service client, created on first use. */
export interface BlobConnection {
  readonly sdk: BlobSdk;
  readonly service: BlobServiceClient;
  /** True when URLs can be signed locally (the client holds the account's shared key). */
  readonly canSign: boolean;
}

/** Storage settings with environment variables applied; nothing is validated yet. */
export interface ResolvedStorageSettings {
  readonly connectionString: string | undefined;
  readonly accountName: string | undefined;
  readonly accountKey: string | undefined;
  readonly sasToken: string | undefined;
  readonly endpoint: string | undefined;
  readonly httpClient: IHttpClient | undefined;
}

/**
 * Applies the `AZURE_STORAGE_*` environment variables and adds every secret
 * (account key, SAS token, and both of a connection string) to `secrets`.
 */
export function resolveStorageSettings(settings: AzureStorageSettings | undefined, secrets: SecretSet): ResolvedStorageSettings {
  const resolved: ResolvedStorageSettings = {
    connectionString: loadOptionalSetting({
      settingValue: settings?.connectionString,
      environmentVariableName: 'AZURE_STORAGE_CONNECTION_STRING',
    }),
    accountName: loadOptionalSetting({ settingValue: settings?.accountName, environmentVariableName: 'AZURE_STORAGE_ACCOUNT' }),
    accountKey: loadOptionalSetting({ settingValue: settings?.accountKey, environmentVariableName: 'AZURE_STORAGE_KEY' }),
    sasToken: settings?.sasToken === undefined || settings.sasToken === '' ? undefined : settings.sasToken.replace(/^\?/, ''),
    endpoint: settings?.endpoint === undefined ? undefined : withoutTrailingSlash(settings.endpoint),
    httpClient: settings?.httpClient,
  };
  secrets.add(resolved.accountKey);
  addSasToken(secrets, resolved.sasToken);
  for (const part of resolved.connectionString?.split(';') ?? []) {
    const [name, ...value] = part.split('=');
    if (name === 'AccountKey') secrets.add(value.join('='));
    if (name === 'SharedAccessSignature') addSasToken(secrets, value.join('='));
  }
  return resolved;
}

/** True when enough is set to reach blob storage. */
export function isStorageConfigured(settings: ResolvedStorageSettings): boolean {
  return (
    settings.connectionString !== undefined ||
    (settings.accountName !== undefined && settings.accountKey !== undefined) ||
    (settings.sasToken !== undefined && (settings.accountName !== undefined || settings.endpoint !== undefined))
  );
}

/**
 * Loads `@azure/storage-blob` with a dynamic import on first use and builds
 * one service client; later calls share it.
 */
export function createBlobConnector(settings: ResolvedStorageSettings, errors: AzureErrors): () => Promise<BlobConnection> {
  let connection: Promise<BlobConnection> | undefined;
  return () => {
    connection ??= connect(settings, errors).catch((error: unknown) => {
      connection = undefined;
      throw error;
    });
    return connection;
  };
}

async function connect(settings: ResolvedStorageSettings, errors: AzureErrors): Promise<BlobConnection> {
  if (!isStorageConfigured(settings)) {
    throw errors.create({
      kind: 'auth',
      message:
        'Azure storage is not configured: set storage.connectionString (AZURE_STORAGE_CONNECTION_STRING), or storage.accountName with storage.accountKey (AZURE_STORAGE_ACCOUNT, AZURE_STORAGE_KEY) or storage.sasToken',
      isRetryable: false,
    });
  }
  const sdk = await import('@azure/storage-blob');
  // The router retries; the SDK must not (its default is four tries with backoff).
  const pipelineOptions: StoragePipelineOptions = { retryOptions: { maxTries: 1 }, httpClient: settings.httpClient };
  if (settings.connectionString !== undefined) {
    const service = sdk.BlobServiceClient.fromConnectionString(settings.connectionString, pipelineOptions);
    return { sdk, service, canSign: service.credential instanceof sdk.StorageSharedKeyCredential };
  }
  const endpoint = settings.endpoint ?? `https://${settings.accountName ?? ''}.blob.core.windows.net`;
  if (settings.accountKey !== undefined && settings.accountName !== undefined) {
    const credential = new sdk.StorageSharedKeyCredential(settings.accountName, settings.accountKey);
    return { sdk, service: new sdk.BlobServiceClient(endpoint, credential, pipelineOptions), canSign: true };
  }
  const service = new sdk.BlobServiceClient(`${endpoint}?${settings.sasToken ?? ''}`, new sdk.AnonymousCredential(), pipelineOptions);
  return { sdk, service, canSign: false };
}
