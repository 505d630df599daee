import type { IHttpClient } from '@azure/storage-blob';
import type { HttpTransportSettings } from '@switchyard/http';

/**
 * Settings for `createAzure`. Each service is used only when its section is
 * configured. There is no top-level `baseURL`: each service has its own
 * endpoint (`storage.endpoint`, `functions.baseURL`, `*.managementBaseURL`).
 */
export interface AzureProviderSettings extends Omit<HttpTransportSettings, 'baseURL'> {
  /**
   * Blob storage (the `storage` capability). Default: configured from
   * `AZURE_STORAGE_CONNECTION_STRING`, or `AZURE_STORAGE_ACCOUNT` with
   * `AZURE_STORAGE_KEY`, when those are set; otherwise storage is not offered.
   */
  readonly storage?: AzureStorageSettings | undefined;
  /**
   * Azure Functions (the `functions` capability): invoke through the app's
   * HTTP triggers, manage through Resource Manager. Default: not offered.
   */
  readonly functions?: AzureFunctionsSettings | undefined;
  /** Virtual machines (the `compute` capability) through Resource Manager. Default: not offered. */
  readonly compute?: AzureComputeSettings | undefined;
  /**
   * Microsoft Entra ID client credentials for Resource Manager (functions management and compute).
   * Default: `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET`.
   */
  readonly credentials?: AzureClientCredentials | undefined;
  /**
   * The undici dispatcher Resource Manager, Entra ID token and function-host
   * requests go through (a `Pool`, `Agent`, `ProxyAgent`, `MockAgent`, ...).
   * Blob storage goes through the SDK's own pipeline instead: see
   * `storage.httpClient`. Default: one shared keep-alive `Pool` per origin.
   */
  readonly dispatcher?: HttpTransportSettings['dispatcher'];
  /**
   * Allow loopback and private addresses for Resource Manager, the token
   * endpoint and the function host (local fakes in tests). Default `false`:
   * such hosts are refused (SSRF guard). Blob storage has no such guard:
   * `storage.endpoint` is used as given (e.g. Azurite on 127.0.0.1).
   */
  readonly allowPrivateNetwork?: boolean | undefined;
}

/**
 * Blob storage settings. Give one of `connectionString`, `accountKey` (with
 * `accountName`) or `sasToken` (with `accountName` or `endpoint`).
 * `presignUrl` needs the account key (from `accountKey` or the connection string).
 */
export interface AzureStorageSettings {
  /**
   * A storage connection string, e.g. Azurite's
   * `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=…;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;`.
   * Default: the `AZURE_STORAGE_CONNECTION_STRING` environment variable.
   */
  readonly connectionString?: string | undefined;
  /** The storage account name. Default: the `AZURE_STORAGE_ACCOUNT` environment variable. */
  readonly accountName?: string | undefined;
  /** The account's shared key (base64). Kept in the provider's secret set, for redaction. Default: the `AZURE_STORAGE_KEY` environment variable. */
  readonly accountKey?: string | undefined;
  /** A SAS token (with or without the leading `?`) used instead of a key. Kept in the provider's secret set, for redaction. Default: none. */
  readonly sasToken?: string | undefined;
  /** The blob endpoint. Default: `https://<accountName>.blob.core.windows.net`. */
  readonly endpoint?: string | undefined;
  /**
   * The HTTP client `@azure/storage-blob` sends through (its pipeline's
   * `httpClient`): the SDK's equivalent of `dispatcher`, e.g. to record or
   * proxy blob requests. Default: the SDK's Node.js client.
   */
  readonly httpClient?: IHttpClient | undefined;
}
/** Microsoft Entra ID client credentials for Azure Resource Manager (functions and compute). */
export interface AzureClientCredentials {
  /** Directory (tenant) id. Default: the `AZURE_TENANT_ID` environment variable. */
  readonly tenantId?: string | undefined;
  /** Application (client) id. Default: the `AZURE_CLIENT_ID` environment variable. */
  readonly clientId?: string | undefined;
  /** Client secret. Kept in the provider's secret set, for redaction. Default: the `AZURE_CLIENT_SECRET` environment variable. */
  readonly clientSecret?: string | undefined;
  /** Token authority. Default: `https://login.microsoftonline.com`; the token URL is `${authority}/${tenantId}/oauth2/v2.0/token`. */
  readonly authorityBaseURL?: string | undefined;
}

/** Virtual machine settings (Azure Resource Manager, `Microsoft.Compute`). */
export interface AzureComputeSettings {
  /** Subscription id holding the machines. Default: the `AZURE_SUBSCRIPTION_ID` environment variable. */
  readonly subscriptionId?: string | undefined;
  /** Resource group listed and used for ids ("resourceGroup/name"). Required. */
  readonly resourceGroup: string;
  /** ARM endpoint. Default: `https://management.azure.com`. */
  readonly managementBaseURL?: string | undefined;
}

/** Azure Functions settings: invoke over HTTPS, manage through Resource Manager (`Microsoft.Web/sites/functions`). */
export interface AzureFunctionsSettings {
  /** The function app's name (the ARM site name). Required for deploy, get, list and delete. */
  readonly appName?: string | undefined;
  /** Where HTTP triggers are invoked (`POST {baseURL}/api/{name}`). Default: `https://<appName>.azurewebsites.net`. */
  readonly baseURL?: string | undefined;
  /**
   * Key sent as `x-functions-key` when invoking: a function key or the app's default host key.
   * Kept in the provider's secret set, for redaction. Default: the `AZURE_FUNCTIONS_KEY` environment variable; none for anonymous triggers.
   */
  readonly functionKey?: string | undefined;
  /** Keys for single functions, by function name; they win over `functionKey`. Kept in the provider's secret set, for redaction. Default: none. */
  readonly functionKeys?: Readonly<Record<string, string>> | undefined;
  /** Subscription holding the app. Default: the `AZURE_SUBSCRIPTION_ID` environment variable. */
  readonly subscriptionId?: string | undefined;
  /** Resource group holding the app. Required for deploy, get, list and delete. */
  readonly resourceGroup?: string | undefined;
  /** ARM endpoint. Default: `https://management.azure.com`. */
  readonly managementBaseURL?: string | undefined;
}
