import { Buffer } from 'node:buffer';
import { IntegrationError, loadOptionalSetting, registerSecret, withoutTrailingSlash } from '@switchyard/core';
import { createHttpClient, oauth2Auth, type HttpClient } from '@switchyard/http';
import type { AzureClientCredentials } from './azure-settings';

/** The public Azure Resource Manager endpoint. */
export const DEFAULT_MANAGEMENT_BASE_URL = 'https://management.azure.com';
/** The public Microsoft Entra ID authority. */
export const DEFAULT_AUTHORITY_BASE_URL = 'https://login.microsoftonline.com';
/** The scope a client-credentials token needs for Resource Manager. */
export const MANAGEMENT_SCOPE = 'https://management.azure.com/.default';

/** Credentials with environment variables applied. */
export interface ResolvedCredentials {
  readonly tenantId: string | undefined;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly authorityBaseURL: string;
}

/** Applies `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET`, and registers the secret. */
export function resolveCredentials(credentials: AzureClientCredentials | undefined): ResolvedCredentials {
  const clientSecret = loadOptionalSetting({ settingValue: credentials?.clientSecret, environmentVariableName: 'AZURE_CLIENT_SECRET' });
  registerSecret(clientSecret);
  return {
    tenantId: loadOptionalSetting({ settingValue: credentials?.tenantId, environmentVariableName: 'AZURE_TENANT_ID' }),
    clientId: loadOptionalSetting({ settingValue: credentials?.clientId, environmentVariableName: 'AZURE_CLIENT_ID' }),
    clientSecret,
    authorityBaseURL: withoutTrailingSlash(credentials?.authorityBaseURL ?? DEFAULT_AUTHORITY_BASE_URL),
  };
}

/** Options for {@link createArmConnector}. */
export interface ArmConnectorOptions {
  readonly credentials: ResolvedCredentials;
  readonly managementBaseURL: string;
  /** Allow loopback and private addresses (local fakes in tests). */
  readonly allowPrivateNetwork: boolean;
}

/**
 * A Resource Manager client on `@switchyard/http`, created on first use:
 * Bearer tokens from Entra ID's client-credentials grant
 * (`${authority}/${tenant}/oauth2/v2.0/token`, scope
 * `https://management.azure.com/.default`), the shared error mapper, no retries.
 * Fails with `auth`, naming the environment variables, when credentials are missing.
 */
export function createArmConnector(options: ArmConnectorOptions): () => HttpClient {
  let client: HttpClient | undefined;
  return () => {
    if (client !== undefined) return client;
    const { tenantId, clientId, clientSecret, authorityBaseURL } = options.credentials;
    if (tenantId === undefined || clientId === undefined || clientSecret === undefined) {
      throw new IntegrationError({
        kind: 'auth',
        message:
          'Azure Resource Manager credentials are missing: set credentials.tenantId, clientId and clientSecret (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)',
        provider: 'azure',
        isRetryable: false,
      });
    }
    client = createHttpClient({
      baseURL: options.managementBaseURL,
      provider: 'azure',
      allowPrivateNetwork: options.allowPrivateNetwork,
      auth: oauth2Auth({
        tokenURL: `${authorityBaseURL}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
        clientId,
        clientSecret,
        clientAuthentication: 'body',
        grant: { type: 'client_credentials', scope: MANAGEMENT_SCOPE },
        allowPrivateNetwork: options.allowPrivateNetwork,
        provider: 'azure',
      }),
    });
    return client;
  };
}

/** Where a list continues: an ARM page (`nextLink` path, or the first page) and how many items of it were already returned. */
export interface ArmCursor {
  readonly path: string | undefined;
  readonly skip: number;
}

/** Encodes an {@link ArmCursor} as an opaque string. */
export function encodeArmCursor(cursor: ArmCursor): string {
  return Buffer.from(JSON.stringify({ p: cursor.path, s: cursor.skip }), 'utf8').toString('base64url');
}

/** Decodes a cursor from {@link encodeArmCursor}; anything else is a `validation` error. */
export function decodeArmCursor(cursor: string | undefined, operation: string): ArmCursor {
  if (cursor === undefined) return { path: undefined, skip: 0 };
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p?: unknown; s?: unknown };
    if ((parsed.p === undefined || (typeof parsed.p === 'string' && parsed.p.startsWith('/'))) && Number.isInteger(parsed.s) && (parsed.s as number) >= 0) {
      return { path: parsed.p, skip: parsed.s as number };
    }
  } catch {
    // Falls through to the validation error.
  }
  throw new IntegrationError({ kind: 'validation', message: `azure: unknown cursor for ${operation}`, provider: 'azure', operation, isRetryable: false });
}

/**
 * The path and query of an ARM `nextLink`, accepted only on the management
 * origin, so a cursor can never send the bearer token elsewhere.
 */
export function nextLinkPath(nextLink: string | null | undefined, managementBaseURL: string, operation: string): string | undefined {
  if (nextLink === undefined || nextLink === null || nextLink === '') return undefined;
  const base = new URL(managementBaseURL);
  const link = new URL(nextLink, base);
  if (link.origin !== base.origin) {
    throw new IntegrationError({ kind: 'provider', message: `azure: ${operation} got a nextLink outside ${base.origin}`, provider: 'azure', operation, isRetryable: false });
  }
  const basePath = base.pathname.replace(/\/+$/, '');
  const path = link.pathname.startsWith(basePath) ? link.pathname.slice(basePath.length) : link.pathname;
  return `${path}${link.search}`;
}
