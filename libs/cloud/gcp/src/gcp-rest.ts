import { IntegrationError } from '@switchyard/core';
import { bearerAuth, createHttpClient, type AuthStrategy, type HttpClient, type HttpClientSettings, type ResponseSchema } from '@switchyard/http';
import { serviceAccountAuth, type GcpServiceAccountCredentials } from './gcp-auth';

/** What a REST-backed service (Cloud Functions, Compute Engine) needs from the provider settings. */
export interface GoogleRestSettings {
  readonly accessToken?: string | (() => string | Promise<string>) | undefined;
  readonly serviceAccount: () => GcpServiceAccountCredentials | undefined;
  readonly tokenURL?: string | undefined;
  readonly dispatcher?: HttpClientSettings['dispatcher'];
  readonly allowPrivateNetwork?: boolean | undefined;
}

/** One auth strategy for every Google REST API of a provider object, so they share the cached access token. */
export function googleRestAuth(settings: GoogleRestSettings): AuthStrategy {
  if (settings.accessToken !== undefined) {
    return typeof settings.accessToken === 'string' ? bearerAuth({ token: settings.accessToken }) : bearerAuth({ getToken: settings.accessToken });
  }
  return serviceAccountAuth({
    serviceAccount: settings.serviceAccount,
    tokenURL: settings.tokenURL,
    dispatcher: settings.dispatcher,
    allowPrivateNetwork: settings.allowPrivateNetwork,
  });
}

/** A `@switchyard/http` client for one Google REST API; errors are classified by its one mapper. */
export function createGoogleRestClient(baseURL: string, auth: AuthStrategy | undefined, settings: GoogleRestSettings): HttpClient {
  return createHttpClient({
    baseURL,
    auth,
    provider: 'gcp',
    dispatcher: settings.dispatcher,
    allowPrivateNetwork: settings.allowPrivateNetwork,
    userAgent: 'switchyard-gcp',
  });
}

/**
 * A response schema from a parse function that reads only the fields the code
 * needs and throws on anything missing (the package keeps zod out of its
 * dependencies; `@switchyard/http` accepts anything with `safeParse`).
 */
export function responseSchema<T>(parse: (value: Record<string, unknown>) => T): ResponseSchema<T> {
  return {
    safeParse(value) {
      try {
        if (typeof value !== 'object' || value === null) throw new TypeError('expected a JSON object');
        return { success: true, data: parse(value as Record<string, unknown>) };
      } catch (error) {
        return { success: false, error: { issues: [{ path: [], message: error instanceof Error ? error.message : String(error) }] } };
      }
    },
  };
}

/** A required string field, or a `TypeError` naming it. */
export function requiredString(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  if (typeof value !== 'string' || value === '') throw new TypeError(`field "${field}": expected a non-empty string`);
  return value;
}

/** An optional string field. */
export function optionalString(record: Record<string, unknown>, field: string): string | undefined {
  const value = record[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** An optional object field, `{}` when absent. */
export function objectField(record: Record<string, unknown>, field: string): Record<string, unknown> {
  const value = record[field];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The last path segment of a Google resource URL or name, e.g. the zone of `.../zones/europe-west1-b`. */
export function lastSegment(value: string | undefined): string | undefined {
  return value === undefined ? undefined : value.slice(value.lastIndexOf('/') + 1);
}

/** An RFC 3339 timestamp (Google's, with an offset) as ISO 8601 UTC; undefined when unparseable. */
export function isoTimestamp(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}

/** Runs a REST call and records `operation` on any `IntegrationError` it throws. */
export async function tagOperation<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!IntegrationError.isInstance(error) || error.operation !== undefined) throw error;
    throw new IntegrationError({
      kind: error.kind,
      message: error.message,
      provider: 'gcp',
      operation,
      statusCode: error.statusCode,
      retryAfterMs: error.retryAfterMs,
      isRetryable: error.isRetryable,
      cause: error,
      details: error.details,
    });
  }
}

/** Opaque list cursors: base64url JSON, refused with `validation` when they were not issued here. */
export function encodeCursor(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Decodes an {@link encodeCursor} cursor. */
export function decodeCursor(cursor: string, operation: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Falls through to the validation error.
  }
  throw new IntegrationError({ kind: 'validation', message: `gcp: ${operation}: unknown cursor "${cursor}"`, provider: 'gcp', operation, isRetryable: false });
}
