import { loadOptionalSetting, withoutTrailingSlash, type SecretSet } from '@switchyard/core';
import { createHttpClient, decodeCursor, encodeCursor, oauth2Auth, type HttpClient, type HttpTransportSettings } from '@switchyard/http';
import { z } from 'zod';
import type { AzureErrors } from './azure-error';
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

/** Applies `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET`, and adds the client secret to `secrets`. */
export function resolveCredentials(credentials: AzureClientCredentials | undefined, secrets: SecretSet): ResolvedCredentials {
  const clientSecret = loadOptionalSetting({ settingValue: credentials?.clientSecret, environmentVariableName: 'AZURE_CLIENT_SECRET' });
  secrets.add(clientSecret);
  return {
    tenantId: loadOptionalSetting({ settingValue: credentials?.tenantId, environmentVariableName: 'AZURE_TENANT_ID' }),
    clientId: loadOptionalSetting({ settingValue: credentials?.clientId, environmentVariableName: 'AZURE_CLIENT_ID' }),
    clientSecret,
    authorityBaseURL: withoutTrailingSlash(credentials?.authorityBaseURL ?? DEFAULT_AUTHORITY_BASE_URL),
  };
}

/** Options for {@link createArmConnector}. */
export interface ArmConnectorOptions extends Pick<HttpTransportSettings, 'dispatcher' | 'allowPrivateNetwork'> {
  readonly credentials: ResolvedCredentials;
  readonly managementBaseURL: string;
  /** The provider's secrets: the client redacts with them, and its OAuth2 strategy keeps the current access token in them. */
  readonly secrets: SecretSet;
  readonly errors: AzureErrors;
}

/**
 * A Resource Manager client on `@switchyard/http`, created on first use:
 * Bearer tokens from Entra ID's client-credentials grant
 * (`${authority}/${tenant}/oauth2/v2.0/token`, scope
 * `https://management.azure.com/.default`), errors classified by the shared
 * status table (the message quotes ARM's `error.code: error.message`), no
 * retries. The current access token is kept in a slot of the provider's
 * secrets, a refreshed one in place of the last. Fails with `auth`, naming
 * the environment variables, when credentials are missing.
 */
export function createArmConnector(options: ArmConnectorOptions): () => HttpClient {
  let client: HttpClient | undefined;
  return () => {
    if (client !== undefined) return client;
    const { tenantId, clientId, clientSecret, authorityBaseURL } = options.credentials;
    if (tenantId === undefined || clientId === undefined || clientSecret === undefined) {
      throw options.errors.create({
        kind: 'auth',
        message:
          'Azure Resource Manager credentials are missing: set credentials.tenantId, clientId and clientSecret (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)',
        isRetryable: false,
      });
    }
    const transport = {
      dispatcher: options.dispatcher,
      allowPrivateNetwork: options.allowPrivateNetwork,
      provider: options.errors.provider,
    };
    client = createHttpClient({
      ...transport,
      baseURL: options.managementBaseURL,
      secrets: options.secrets,
      auth: oauth2Auth({
        ...transport,
        tokenURL: `${authorityBaseURL}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
        clientId,
        clientSecret,
        clientAuthentication: 'body',
        grant: { type: 'client_credentials', scope: MANAGEMENT_SCOPE },
      }),
    });
    return client;
  };
}

/** An ARM collection page, `{ value: [...], nextLink }`, of `item`s. */
export function armPage<Item extends z.ZodType>(item: Item) {
  return z.object({ value: z.array(item), nextLink: z.string().nullish() });
}

/** Where a list continues: an ARM page (`nextLink` path and query; none for the first page) and how many of its items were already returned. */
const armCursorSchema = z.object({ path: z.string().startsWith('/').optional(), skip: z.number().int().nonnegative() });

/** A decoded list cursor. */
export type ArmCursor = z.infer<typeof armCursorSchema>;

/** The cursor a list call was given: the first page without one; an unknown one is a `validation` error before any request. */
export function readArmCursor(cursor: string | undefined, operation: string): ArmCursor {
  return cursor === undefined ? { skip: 0 } : decodeCursor(cursor, armCursorSchema, { provider: 'azure', operation });
}

/**
 * The path and query of an ARM `nextLink`, accepted only on the management
 * origin, so a cursor can never send the bearer token elsewhere.
 */
export function nextLinkPath(
  nextLink: string | null | undefined,
  managementBaseURL: string,
  operation: string,
  errors: AzureErrors,
): string | undefined {
  if (nextLink === undefined || nextLink === null || nextLink === '') return undefined;
  const base = new URL(managementBaseURL);
  const link = new URL(nextLink, base);
  if (link.origin !== base.origin) {
    throw errors.create({
      kind: 'provider',
      message: `${operation} got a nextLink outside ${base.origin}`,
      operation,
      isRetryable: false,
    });
  }
  const basePath = base.pathname.replace(/\/+$/, '');
  const path = link.pathname.startsWith(basePath) ? link.pathname.slice(basePath.length) : link.pathname;
  return `${path}${link.search}`;
}

/** Where an ARM list page came from, for {@link armListPage}. */
export interface ArmListPosition {
  /** The path (with query) the page was fetched from. */
  readonly path: string;
  readonly cursor: ArmCursor;
  readonly limit: number;
  readonly nextLink: string | null | undefined;
  readonly managementBaseURL: string;
  readonly operation: string;
  readonly errors: AzureErrors;
}

/**
 * One contract page from an ARM page, whose size ARM chooses: `limit` items
 * from the cursor's offset, and a cursor to the rest of this ARM page or,
 * once it is used up, to the page its `nextLink` names.
 */
export function armListPage<T>(
  items: readonly T[],
  position: ArmListPosition,
): { readonly items: T[]; readonly nextCursor: string | undefined } {
  const end = position.cursor.skip + position.limit;
  const next = nextLinkPath(position.nextLink, position.managementBaseURL, position.operation, position.errors);
  const nextCursor =
    end < items.length
      ? encodeCursor({ path: position.path, skip: end })
      : next === undefined
        ? undefined
        : encodeCursor({ path: next, skip: 0 });
  return { items: items.slice(position.cursor.skip, end), nextCursor };
}
