import { bearerAuth, createHttpClient, type AuthStrategy, type HttpClient } from '@switchyard/http';
import { z } from 'zod';
import { serviceAccountAuth, type ServiceAccountAuthOptions } from './gcp-auth';
import { googleErrorDetails } from './gcp-error';

/** What a REST-backed service (Cloud Functions, Compute Engine) needs from the provider settings. */
export interface GoogleRestSettings extends ServiceAccountAuthOptions {
  readonly accessToken?: string | (() => string | Promise<string>) | undefined;
}

/**
 * One auth strategy for every Google REST API of a provider object, so they
 * share the cached access token. The strategy keeps the token it sends in
 * the REST clients' secrets (the provider's), a refreshed one in place of the last.
 */
export function googleRestAuth(settings: GoogleRestSettings): AuthStrategy {
  if (settings.accessToken !== undefined) {
    return typeof settings.accessToken === 'string'
      ? bearerAuth({ token: settings.accessToken })
      : bearerAuth({ getToken: settings.accessToken });
  }
  return serviceAccountAuth(settings);
}

/**
 * A `@switchyard/http` client for one Google REST API (or, without `auth`, a
 * signed upload URL or function URL): errors are classified by the shared
 * status table, refined by Google's envelope ({@link googleErrorDetails}).
 */
export function createGoogleRestClient(baseURL: string, auth: AuthStrategy | undefined, settings: GoogleRestSettings): HttpClient {
  return createHttpClient({
    baseURL,
    auth,
    provider: settings.errors.provider,
    secrets: settings.secrets,
    dispatcher: settings.dispatcher,
    allowPrivateNetwork: settings.allowPrivateNetwork,
    userAgent: 'switchyard-gcp',
    errorDetails: googleErrorDetails,
  });
}

/** A list's `nextPageToken`: absent (or empty) on the last page. */
export const pageTokenSchema = z
  .string()
  .nullish()
  .transform((token) => (token === null || token === '' ? undefined : token));

/** The last path segment of a Google resource URL or name, e.g. the zone of `.../zones/europe-west1-b`. */
export function lastSegment(value: string): string;
export function lastSegment(value: string | null | undefined): string | undefined;
export function lastSegment(value: string | null | undefined): string | undefined {
  return value === undefined || value === null ? undefined : value.slice(value.lastIndexOf('/') + 1);
}

/** An RFC 3339 timestamp (Google's, with an offset) as ISO 8601 UTC; undefined when absent or unparseable. */
export function isoTimestamp(value: string | null | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
