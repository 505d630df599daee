import { IntegrationError, SecretSet, type CredentialLookup } from '@switchyard/core';
import type { Store } from '../store/store';
import type { SealedCredential } from '../store/store-records';
import {
  createCredentialSealer,
  masterKeysFromEnvironment,
  type CredentialSealer,
  type MasterKey,
  type MasterKeys,
} from './credential-sealer';
import {
  createOAuth2Refresher,
  keepOAuth2Tokens,
  OAUTH2_TOKEN_FIELD,
  type CredentialRefreshEvent,
  type CredentialRecordAccess,
  type OAuth2RefreshFunction,
  type OAuth2TokenSet,
  type OpenedCredential,
} from './oauth2-refresh';

/** Options of {@link createCredentialManager}. */
export interface CredentialManagerOptions {
  /**
   * Where sealed records live. `store.credentials` holds them; when the store
   * also has `integrations`, `has()` answers for provider ids too (a provider
   * has credentials when one of its integrations does).
   */
  readonly store: Pick<Store, 'credentials'> & Partial<Pick<Store, 'integrations'>>;
  /**
   * The master keys. Default: read from `SWITCHYARD_MASTER_KEY` (and
   * `SWITCHYARD_PREVIOUS_MASTER_KEYS`) on first use, not when the manager is
   * created; a missing variable fails that first use with an error naming it.
   */
  readonly keys?: MasterKeys | undefined;
  /** A ready sealer instead of `keys`, e.g. one backed by a KMS, or a spy in tests. Default: one built from `keys`. */
  readonly sealer?: CredentialSealer | undefined;
  /** Epoch ms, for OAuth2 expiry. Default: `Date.now`. */
  readonly clock?: (() => number) | undefined;
  /** Refresh OAuth2 access tokens this long before they expire, in ms. Default: 60 000. */
  readonly refreshSkewMs?: number | undefined;
}

/** What {@link CredentialManager.rotateKey} did. */
export interface KeyRotationReport {
  /** The id of the key every record is now sealed with. */
  readonly keyId: string;
  /** Records re-sealed by this call (others were already under the new key, or were re-sealed by another writer). */
  readonly resealed: number;
}

/**
 * The credential vault: secrets sealed with AES-256-GCM in the store, opened
 * on demand and cached in memory. Every secret it opens or stores is kept in
 * its {@link CredentialManager.secrets}, so what it hands out is redacted
 * from errors, events and logs.
 *
 * It is also the hub's {@link CredentialLookup}: pass it as
 * `createHub({ credentials })` and the router skips providers without
 * secrets in the vault (`has(id)` answers for integration ids and, with a
 * full store, for provider ids), the hub redacts with its `secrets`, and it
 * re-emits every OAuth2 refresh as its `credential.refresh` event.
 */
export interface CredentialManager extends CredentialLookup {
  /**
   * The secrets this vault has opened or stored, one slot per integration
   * and field (`<integrationId>/<field>`; OAuth2 tokens as
   * `<integrationId>/oauth2:access` and `<integrationId>/oauth2:refresh`):
   * a value set again or refreshed replaces the one before it, and a
   * deleted one is dropped. A hub given the vault redacts with them.
   */
  readonly secrets: SecretSet;
  /** Seals and stores a secret (overwriting any earlier value). Throws `not_found` when the integration does not exist. */
  set(integrationId: string, field: string, value: string): Promise<void>;
  /**
   * Opens a secret. Reads the record's version from the store on every call
   * (so writes by other processes are seen) but decrypts only when the
   * version differs from the cached one. Throws `not_found` when there is
   * no such secret and `auth` when it does not open.
   */
  get(integrationId: string, field: string): Promise<string>;
  /** Deletes a secret and forgets its cached value. Throws `not_found` when there is none. */
  delete(integrationId: string, field: string): Promise<void>;
  /**
   * Whether the integration (or, when the store has integrations, any
   * integration of the provider with this id) has at least one secret,
   * answered synchronously from what this process has loaded (`load()`) and
   * written. Secrets other processes store appear after the next `load()`.
   */
  has(integrationOrProviderId: string): boolean;
  /** Calls `listener` after every OAuth2 refresh; returns a function that stops it. Listeners must not throw. */
  onRefresh(listener: (event: CredentialRefreshEvent) => void): () => void;
  /** Reads which integrations have secrets from the store, for `has()`. Call it at start-up. */
  load(): Promise<void>;
  /**
   * Makes `newKey` the current key and re-seals every record under it. Old
   * keys stay usable for opening throughout (and afterwards, until the host
   * drops them from its configuration), so reads never fail mid-rotation.
   * Safe to run again: records already under the new key are skipped.
   */
  rotateKey(newKey: MasterKey): Promise<KeyRotationReport>;
  /** Stores an integration's OAuth2 tokens, as one sealed record under the field `oauth2`. */
  setOAuth2Tokens(integrationId: string, tokens: OAuth2TokenSet): Promise<void>;
  /**
   * A usable access token: the stored one while it is more than
   * `refreshSkewMs` from expiry, else a refreshed one. Concurrent calls share
   * one refresh per integration; the new tokens are written with
   * compare-and-swap, and when another process refreshed first its token is
   * used. A refresh response without a refresh token keeps the old one.
   */
  getAccessToken(integrationId: string, refresh: OAuth2RefreshFunction): Promise<string>;
  /** Marks the integration's current access token as rejected (e.g. after a 401): the next `getAccessToken` refreshes. */
  invalidate(integrationId: string): void;
  /** Forgets every cached plaintext; the next reads decrypt again. */
  clearCache(): void;
}

interface CacheEntry extends OpenedCredential {
  readonly iv: string;
  readonly authTag: string;
}

const cacheKey = (integrationId: string, field: string): string => JSON.stringify([integrationId, field]);
const isKind = (error: unknown, kind: IntegrationError['kind']): boolean => IntegrationError.isInstance(error) && error.kind === kind;

/** Re-sealing a record that other writers keep changing gives up after this many tries. */
const MAXIMUM_RESEAL_ATTEMPTS = 5;

/**
 * Creates the credential vault over a store.
 *
 * @example
 * ```ts
 * const credentials = createCredentialManager({ store }); // key from SWITCHYARD_MASTER_KEY
 * await credentials.set('github-acme', 'apiKey', token);
 * const apiKey = await credentials.get('github-acme', 'apiKey');
 * ```
 */
export function createCredentialManager(options: CredentialManagerOptions): CredentialManager {
  const { store } = options;
  let sealer: CredentialSealer | undefined = options.sealer;
  const cache = new Map<string, CacheEntry>();
  const fieldsByIntegration = new Map<string, Set<string>>();
  /** Integration id → provider id, for `has(providerId)`; filled by `load()` and `set()`. */
  const providerOf = new Map<string, string>();
  const refreshListeners = new Set<(event: CredentialRefreshEvent) => void>();
  // Mirrors the values the vault has opened (a replaced or deleted value leaves both), so it needs no bound of its own.
  const secrets = new SecretSet({ maxSecrets: Number.MAX_SAFE_INTEGER });

  async function learnProvider(integrationId: string): Promise<void> {
    if (store.integrations === undefined || providerOf.has(integrationId)) return;
    try {
      providerOf.set(integrationId, (await store.integrations.get(integrationId)).providerId);
    } catch (error) {
      if (!isKind(error, 'not_found')) throw error;
    }
  }

  const currentSealer = (): CredentialSealer => (sealer ??= createCredentialSealer(options.keys ?? masterKeysFromEnvironment()));

  /** Keeps the current value of a field in `secrets`, replacing the one before it; `undefined` drops it. */
  function keep(integrationId: string, field: string, value: string | undefined): void {
    if (field === OAUTH2_TOKEN_FIELD) keepOAuth2Tokens(secrets, integrationId, value);
    else secrets.set(`${integrationId}/${field}`, value);
  }

  function remember(integrationId: string, field: string): void {
    const fields = fieldsByIntegration.get(integrationId) ?? new Set<string>();
    fields.add(field);
    fieldsByIntegration.set(integrationId, fields);
  }

  function forget(integrationId: string, field: string): void {
    cache.delete(cacheKey(integrationId, field));
    keep(integrationId, field, undefined);
    const fields = fieldsByIntegration.get(integrationId);
    fields?.delete(field);
    if (fields?.size === 0) fieldsByIntegration.delete(integrationId);
  }

  function open(record: SealedCredential): string {
    const key = cacheKey(record.integrationId, record.field);
    const cached = cache.get(key);
    // The IV and tag differ for every seal, so a record recreated at the same version is still told apart.
    if (cached !== undefined && cached.version === record.version && cached.iv === record.iv && cached.authTag === record.authTag) {
      return cached.value;
    }
    const value = currentSealer().open(record);
    keep(record.integrationId, record.field, value);
    cache.set(key, { value, version: record.version, iv: record.iv, authTag: record.authTag });
    remember(record.integrationId, record.field);
    return value;
  }

  async function write(integrationId: string, field: string, value: string, expectedVersion?: number): Promise<number> {
    if (typeof value !== 'string') {
      throw new IntegrationError({
        kind: 'validation',
        message: `The secret "${field}" of integration "${integrationId}" must be a string.`,
        operation: 'credentials.set',
      });
    }
    const sealed = currentSealer().seal({ integrationId, field }, value);
    const record = await store.credentials.put({ integrationId, field, ...sealed, expectedVersion });
    keep(integrationId, field, value);
    cache.set(cacheKey(integrationId, field), { value, version: record.version, iv: record.iv, authTag: record.authTag });
    remember(integrationId, field);
    return record.version;
  }

  async function read(integrationId: string, field: string): Promise<OpenedCredential | undefined> {
    let record: SealedCredential;
    try {
      record = await store.credentials.get(integrationId, field);
    } catch (error) {
      if (!isKind(error, 'not_found')) throw error;
      forget(integrationId, field);
      return undefined;
    }
    return { value: open(record), version: record.version };
  }

  const access: CredentialRecordAccess = { read, write };
  const oauth2 = createOAuth2Refresher(access, {
    clock: options.clock,
    refreshSkewMs: options.refreshSkewMs,
    secrets,
    onRefresh: (event) => {
      for (const listener of refreshListeners) listener(event);
    },
  });

  async function reseal(initial: SealedCredential, keyId: string): Promise<number> {
    let record = initial;
    for (let attempt = 0; attempt < MAXIMUM_RESEAL_ATTEMPTS; attempt += 1) {
      if (record.keyId === keyId) return 0;
      try {
        await write(record.integrationId, record.field, open(record), record.version);
        return 1;
      } catch (error) {
        if (isKind(error, 'not_found')) return 0;
        if (!isKind(error, 'conflict')) throw error;
      }
      try {
        record = await store.credentials.get(record.integrationId, record.field);
      } catch (error) {
        if (isKind(error, 'not_found')) return 0;
        throw error;
      }
    }
    throw new IntegrationError({
      kind: 'conflict',
      message: `Credential "${record.field}" of integration "${record.integrationId}" kept changing while being re-sealed; run the rotation again.`,
      operation: 'credentials.rotateKey',
      isRetryable: true,
    });
  }

  return {
    secrets,

    async set(integrationId, field, value) {
      await write(integrationId, field, value);
      await learnProvider(integrationId);
    },

    async get(integrationId, field) {
      const opened = await read(integrationId, field);
      if (opened === undefined) {
        throw new IntegrationError({
          kind: 'not_found',
          message: `Integration "${integrationId}" has no secret "${field}" in the vault.`,
          operation: 'credentials.get',
        });
      }
      return opened.value;
    },

    async delete(integrationId, field) {
      try {
        await store.credentials.delete(integrationId, field);
      } finally {
        forget(integrationId, field);
      }
    },

    has(id) {
      if (fieldsByIntegration.has(id)) return true;
      for (const integrationId of fieldsByIntegration.keys()) {
        if (providerOf.get(integrationId) === id) return true;
      }
      return false;
    },

    onRefresh(listener) {
      refreshListeners.add(listener);
      return () => refreshListeners.delete(listener);
    },

    async load() {
      const records = await store.credentials.list();
      fieldsByIntegration.clear();
      for (const record of records) remember(record.integrationId, record.field);
      if (store.integrations !== undefined) {
        providerOf.clear();
        for (const integration of await store.integrations.list()) providerOf.set(integration.id, integration.providerId);
      }
    },

    async rotateKey(newKey) {
      sealer = currentSealer().withCurrentKey(newKey);
      const keyId = sealer.currentKeyId;
      let resealed = 0;
      for (const record of await store.credentials.list()) {
        if (record.keyId !== keyId) resealed += await reseal(record, keyId);
      }
      return { keyId, resealed };
    },

    async setOAuth2Tokens(integrationId, tokens) {
      await oauth2.setTokens(integrationId, tokens);
      await learnProvider(integrationId);
    },
    getAccessToken: (integrationId, refresh) => oauth2.getAccessToken(integrationId, refresh),
    invalidate: (integrationId) => oauth2.invalidate(integrationId),

    clearCache() {
      cache.clear();
    },
  };
}
