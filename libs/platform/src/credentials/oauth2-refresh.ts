import {
  IntegrationError,
  redactIntegrationError,
  toIntegrationError,
  type SecretSet,
  type CredentialRefreshEvent,
  type OAuth2RefreshFunction,
  type OAuth2RefreshResult,
  type OAuth2TokenSet,
} from '@switchyard/core';

export type { CredentialRefreshEvent, OAuth2RefreshFunction, OAuth2RefreshResult, OAuth2TokenSet };

/** The credential field an integration's OAuth2 token set is sealed under, as one record (so one compare-and-swap covers it). */
export const OAUTH2_TOKEN_FIELD = 'oauth2';

/** Default of {@link OAuth2RefreshOptions.refreshSkewMs}: refresh a minute before the access token expires. */
export const DEFAULT_REFRESH_SKEW_MS = 60_000;

/** Options of the OAuth2 part of the credential manager. */
export interface OAuth2RefreshOptions {
  /** Called after each refresh (one per single-flight, not per waiting caller). */
  readonly onRefresh?: ((event: CredentialRefreshEvent) => void) | undefined;
  /** How long before expiry a token counts as expired, in ms. Default: 60 000 ({@link DEFAULT_REFRESH_SKEW_MS}). */
  readonly refreshSkewMs?: number | undefined;
  /** Epoch ms. Default: `Date.now`. */
  readonly clock?: (() => number) | undefined;
  /** The vault's secrets: a failed refresh, thrown and reported, is redacted with them. Default: none. */
  readonly secrets?: SecretSet | undefined;
}

/** A decrypted record and the store version it was read at. */
export interface OpenedCredential {
  readonly value: string;
  readonly version: number;
}

/** How the refresher reads and writes sealed records; the credential manager provides it. */
export interface CredentialRecordAccess {
  /** The opened record, or `undefined` when there is none. */
  read(integrationId: string, field: string): Promise<OpenedCredential | undefined>;
  /** Seals and writes; `expectedVersion` is compare-and-swap (a mismatch throws `conflict`). Returns the new version. */
  write(integrationId: string, field: string, value: string, expectedVersion?: number): Promise<number>;
}

/** OAuth2 access tokens with early, single-flight refresh; part of the credential manager. */
export interface OAuth2Refresher {
  setTokens(integrationId: string, tokens: OAuth2TokenSet): Promise<void>;
  getAccessToken(integrationId: string, refresh: OAuth2RefreshFunction): Promise<string>;
  invalidate(integrationId: string): void;
}

interface StoredTokens {
  readonly tokens: OAuth2TokenSet;
  readonly version: number;
}

/** Give up after this many refresh rounds lost to other writers in a row. */
const MAXIMUM_ROUNDS = 3;
const OPERATION = 'credentials.refresh';

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The sealed JSON of a token set as an object; `undefined` when it is not one. */
function tokenRecord(value: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
}

/**
 * Keeps an integration's OAuth2 tokens, from the sealed value of its
 * `oauth2` record, in `secrets`: the access and refresh tokens each in a slot
 * of the integration (`<id>/oauth2:access`, `<id>/oauth2:refresh`), so a
 * refreshed token replaces the one before it. `undefined` (a deleted record)
 * empties both.
 */
export function keepOAuth2Tokens(secrets: SecretSet, integrationId: string, sealedValue: string | undefined): void {
  const record = sealedValue === undefined ? undefined : tokenRecord(sealedValue);
  secrets.set(`${integrationId}/oauth2:access`, optionalText(record?.['accessToken']));
  secrets.set(`${integrationId}/oauth2:refresh`, optionalText(record?.['refreshToken']));
}

function parseTokens(integrationId: string, value: string): OAuth2TokenSet {
  const record = tokenRecord(value);
  if (record === undefined) {
    throw new IntegrationError({
      kind: 'validation',
      message: `The "${OAUTH2_TOKEN_FIELD}" credential of integration "${integrationId}" is not an OAuth2 token set.`,
      operation: OPERATION,
    });
  }
  return {
    accessToken: optionalText(record['accessToken']),
    refreshToken: optionalText(record['refreshToken']),
    expiresAt: typeof record['expiresAt'] === 'number' ? record['expiresAt'] : undefined,
  };
}

function validateResult(integrationId: string, result: OAuth2RefreshResult): void {
  const valid =
    typeof result === 'object' &&
    result !== null &&
    typeof result.accessToken === 'string' &&
    result.accessToken !== '' &&
    Number.isFinite(result.expiresInSeconds) &&
    result.expiresInSeconds >= 0 &&
    (result.refreshToken === undefined || typeof result.refreshToken === 'string');
  if (!valid) {
    throw new IntegrationError({
      kind: 'validation',
      message: `The refresh function for integration "${integrationId}" returned no usable token response.`,
      operation: OPERATION,
    });
  }
}

const isConflict = (error: unknown): boolean => IntegrationError.isInstance(error) && error.kind === 'conflict';

/**
 * Creates the OAuth2 refresher behind `CredentialManager.getAccessToken`.
 * Refreshes are early (`refreshSkewMs` before expiry), single-flight per
 * integration in this process, and written with compare-and-swap: when
 * another process wrote first, its token is used instead of refreshing again.
 * The tokens join the vault's secrets as `access` writes and reads them
 * ({@link keepOAuth2Tokens}).
 */
export function createOAuth2Refresher(access: CredentialRecordAccess, options: OAuth2RefreshOptions = {}): OAuth2Refresher {
  const skewMs = options.refreshSkewMs ?? DEFAULT_REFRESH_SKEW_MS;
  const clock = options.clock ?? Date.now;
  const flights = new Map<string, Promise<string>>();
  /** Per integration, the record version whose access token was rejected; `'next'` until that version is known. */
  const rejected = new Map<string, number | 'next'>();
  /** The latest version seen per integration, so `invalidate` can name the token it is about. */
  const lastSeen = new Map<string, number>();

  async function read(integrationId: string): Promise<StoredTokens> {
    const opened = await access.read(integrationId, OAUTH2_TOKEN_FIELD);
    if (opened === undefined) {
      throw new IntegrationError({
        kind: 'auth',
        message: `Integration "${integrationId}" has no OAuth2 tokens in the vault; store them with setOAuth2Tokens first.`,
        operation: OPERATION,
        isRetryable: false,
      });
    }
    lastSeen.set(integrationId, opened.version);
    if (rejected.get(integrationId) === 'next') rejected.set(integrationId, opened.version);
    return { tokens: parseTokens(integrationId, opened.value), version: opened.version };
  }

  function usableToken(integrationId: string, stored: StoredTokens): string | undefined {
    const { accessToken, expiresAt } = stored.tokens;
    if (accessToken === undefined || rejected.get(integrationId) === stored.version) return undefined;
    if (expiresAt !== undefined && clock() >= expiresAt - skewMs) return undefined;
    return accessToken;
  }

  /** Refreshes and reports the outcome to `onRefresh`. */
  async function refreshAndReport(integrationId: string, refresh: OAuth2RefreshFunction): Promise<string> {
    const startedAt = performance.now();
    const report = (outcome: CredentialRefreshEvent['outcome'], error?: IntegrationError) =>
      options.onRefresh?.({
        integrationId,
        outcome,
        durationMs: performance.now() - startedAt,
        error: error && { kind: error.kind, message: error.message },
      });
    try {
      const { token, adopted } = await refreshNow(integrationId, refresh);
      report(adopted ? 'adopted' : 'refreshed');
      return token;
    } catch (error) {
      const failure = redactIntegrationError(toIntegrationError(error, { operation: OPERATION }), options.secrets);
      report('failed', failure);
      throw failure;
    }
  }

  async function refreshNow(integrationId: string, refresh: OAuth2RefreshFunction): Promise<{ token: string; adopted: boolean }> {
    for (let round = 0; round < MAXIMUM_ROUNDS; round += 1) {
      // Re-read every round: another flight or process may have refreshed already.
      const stored = await read(integrationId);
      const fresh = usableToken(integrationId, stored);
      if (fresh !== undefined) return { token: fresh, adopted: true };
      const refreshToken = stored.tokens.refreshToken;
      if (refreshToken === undefined) {
        throw new IntegrationError({
          kind: 'auth',
          message: `The access token of integration "${integrationId}" expired and there is no refresh token.`,
          operation: OPERATION,
          isRetryable: false,
        });
      }
      let result: OAuth2RefreshResult;
      try {
        result = await refresh(refreshToken);
      } catch (error) {
        // With rotating refresh tokens, losing a race to another process fails here; its token is then in the store.
        const latest = await read(integrationId);
        const theirs = latest.version === stored.version ? undefined : usableToken(integrationId, latest);
        if (theirs !== undefined) return { token: theirs, adopted: true };
        throw toIntegrationError(error, { operation: OPERATION });
      }
      validateResult(integrationId, result);
      const next: OAuth2TokenSet = {
        accessToken: result.accessToken,
        refreshToken: optionalText(result.refreshToken) ?? refreshToken,
        expiresAt: clock() + result.expiresInSeconds * 1000,
      };
      try {
        const version = await access.write(integrationId, OAUTH2_TOKEN_FIELD, JSON.stringify(next), stored.version);
        lastSeen.set(integrationId, version);
        rejected.delete(integrationId);
        return { token: result.accessToken, adopted: false };
      } catch (error) {
        if (!isConflict(error)) throw error;
        // Another process stored a token first: the next round reads it and uses it while it is fresh.
      }
    }
    throw new IntegrationError({
      kind: 'conflict',
      message: `Refreshing the OAuth2 token of integration "${integrationId}" lost ${MAXIMUM_ROUNDS} races in a row to other writers.`,
      operation: OPERATION,
      isRetryable: true,
    });
  }

  return {
    async setTokens(integrationId, tokens) {
      const value: OAuth2TokenSet = {
        accessToken: optionalText(tokens.accessToken),
        refreshToken: optionalText(tokens.refreshToken),
        expiresAt: tokens.expiresAt,
      };
      lastSeen.set(integrationId, await access.write(integrationId, OAUTH2_TOKEN_FIELD, JSON.stringify(value)));
      rejected.delete(integrationId);
    },

    async getAccessToken(integrationId, refresh) {
      const inFlight = flights.get(integrationId);
      if (inFlight !== undefined) return inFlight;
      const fresh = usableToken(integrationId, await read(integrationId));
      if (fresh !== undefined) return fresh;
      let flight = flights.get(integrationId);
      if (flight === undefined) {
        flight = refreshAndReport(integrationId, refresh).finally(() => flights.delete(integrationId));
        flights.set(integrationId, flight);
      }
      return flight;
    },

    invalidate(integrationId) {
      rejected.set(integrationId, lastSeen.get(integrationId) ?? 'next');
    },
  };
}
