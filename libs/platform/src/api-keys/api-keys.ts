import { createHash, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { IntegrationError } from '@switchyard/core';
import type { Store } from '../store/store';
import type { ApiKeyRecord, ApiKeyScope } from '../store/store-records';

/** The prefix of every Switchyard API key, so secret scanners and people can tell one. */
export const API_KEY_PREFIX = 'syk_';
const ID_LENGTH = 16;
const KEY_PATTERN = new RegExp(`^${API_KEY_PREFIX}([0-9a-f]{${ID_LENGTH}})_([A-Za-z0-9_-]{43})$`);
/** Compared against when a key is malformed or unknown, so those answers take as long as a wrong secret. */
const DECOY_HASH = createHash('sha256').update('switchyard decoy key').digest();

/** What an accepted key is: its id, workspace, name and scopes (never the key). */
export interface ApiKeyIdentity {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
}

/**
 * The answer of {@link ApiKeys.verify}. `unknown` covers malformed keys,
 * unknown ids and wrong secrets alike; `forbidden` means the key is good but
 * lacks the scope asked for (HTTP 403 rather than 401).
 */
export type ApiKeyVerdict =
  | { readonly ok: true; readonly identity: ApiKeyIdentity }
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' | 'revoked' }
  | { readonly ok: false; readonly reason: 'forbidden'; readonly identity: ApiKeyIdentity };

/** A key made by {@link ApiKeys.issue} or {@link ApiKeys.rotate}: `key` is shown this once and stored nowhere. */
export interface IssuedApiKey {
  readonly key: string;
  readonly record: ApiKeyRecord;
}

/** What {@link ApiKeys.issue} takes. */
export interface IssueApiKeyInput {
  /** Default `'default'`. */
  readonly workspaceId?: string | undefined;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  /** When the key stops working. Default: never. */
  readonly expiresAt?: Date | undefined;
}

/** Options of {@link createApiKeys}. */
export interface ApiKeysOptions {
  /** How long an accepted key is trusted without reading the store again: the longest a revocation may take to bite. Default 5,000 ms; 0 reads every time. */
  readonly cacheTtlMs?: number | undefined;
  /** `lastUsedAt` is written at most this often per key. Default 60,000 ms. */
  readonly lastUsedGranularityMs?: number | undefined;
  /** The clock, in epoch ms. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/** Makes, checks, rotates and revokes API keys kept hashed in a store. */
export interface ApiKeys {
  issue(input: IssueApiKeyInput): Promise<IssuedApiKey>;
  /**
   * Checks a presented key in constant time (SHA-256 of it against the
   * stored hash with `timingSafeEqual`; malformed and unknown keys are
   * compared against a decoy) and, with `scope`, that the key holds it.
   * Scopes nest: `admin` holds `execute`, which holds `read`.
   */
  verify(key: string, scope?: ApiKeyScope): Promise<ApiKeyVerdict>;
  /**
   * A new key with the same workspace, name and scopes (and `expiresAt`, by
   * default none); the old one keeps working for `graceMs` (default one day)
   * and then expires, so clients can move over without downtime. Throws
   * `not_found`, or `conflict` for a revoked key.
   */
  rotate(id: string, options?: { readonly graceMs?: number | undefined; readonly expiresAt?: Date | undefined }): Promise<IssuedApiKey>;
  /** Stops a key at once (within `cacheTtlMs` in other processes). Throws `not_found`. */
  revoke(id: string): Promise<ApiKeyRecord>;
  /** The keys of one workspace, or all; never the keys themselves. */
  list(workspaceId?: string): Promise<ApiKeyRecord[]>;
}

/** One-shot SHA-256 (`crypto.hash`, cheaper than a `Hash` object per request). */
const sha256 = (text: string): Buffer => hash('sha256', text, 'buffer');
const SCOPE_RANK: Readonly<Record<ApiKeyScope, number>> = { read: 0, execute: 1, admin: 2 };

/** Whether `scopes` hold `scope`: `admin` holds every scope, `execute` holds `read`. */
export function hasScope(scopes: readonly ApiKeyScope[], scope: ApiKeyScope): boolean {
  return scopes.some((held) => SCOPE_RANK[held] >= SCOPE_RANK[scope]);
}

/** A key whose secret matched: its record, and what the record decides, worked out once. */
interface Known {
  readonly record: ApiKeyRecord;
  readonly identity: ApiKeyIdentity;
  /** The verdict of a key with the scope asked for; the same object every time. */
  readonly granted: ApiKeyVerdict;
  readonly expiresAtMs: number;
  /** Until when the key may be judged from memory (epoch ms). */
  readonly until: number;
}

const UNKNOWN: ApiKeyVerdict = { ok: false, reason: 'unknown' };
const REVOKED: ApiKeyVerdict = { ok: false, reason: 'revoked' };
const EXPIRED: ApiKeyVerdict = { ok: false, reason: 'expired' };

function identityOf(record: ApiKeyRecord): ApiKeyIdentity {
  return { id: record.id, workspaceId: record.workspaceId, name: record.name, scopes: record.scopes };
}

/**
 * API keys on a store's `apiKeys`: `syk_<16 hex id>_<43 base64url secret>`
 * (256 random bits), kept as a SHA-256 hash. The HTTP server and the MCP
 * HTTP endpoint check bearer keys with {@link ApiKeys.verify}.
 *
 * @example
 * ```ts
 * const keys = createApiKeys(store);
 * const { key } = await keys.issue({ name: 'ci', scopes: ['execute'] });
 * (await keys.verify(key, 'execute')).ok; // true
 * ```
 */
export function createApiKeys(store: Pick<Store, 'apiKeys'>, options: ApiKeysOptions = {}): ApiKeys {
  const now = options.now ?? Date.now;
  const cacheTtlMs = options.cacheTtlMs ?? 5_000;
  const granularityMs = options.lastUsedGranularityMs ?? 60_000;
  /** Accepted keys by the key itself, with what their record decides worked out once (see lookup). */
  const accepted = new Map<string, Known>();
  const lastUsedWrites = new Map<string, number>();

  async function make(input: IssueApiKeyInput): Promise<IssuedApiKey> {
    const id = randomBytes(ID_LENGTH / 2).toString('hex');
    const key = `${API_KEY_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
    const record = await store.apiKeys.create({
      id,
      workspaceId: input.workspaceId ?? 'default',
      name: input.name,
      scopes: input.scopes,
      secretHash: sha256(key).toString('hex'),
      expiresAt: input.expiresAt?.toISOString(),
    });
    return { key, record };
  }

  async function lookup(key: string): Promise<Known | undefined> {
    const digest = sha256(key);
    const id = KEY_PATTERN.exec(key)?.[1];
    const record =
      id === undefined
        ? undefined
        : await store.apiKeys.get(id).catch((error: unknown) => {
            if (IntegrationError.isInstance(error) && error.kind === 'not_found') return undefined;
            throw error;
          });
    const expected = record === undefined ? DECOY_HASH : Buffer.from(record.secretHash, 'hex');
    const matches = expected.length === digest.length && timingSafeEqual(expected, digest);
    if (!matches || record === undefined) return undefined;
    const identity = identityOf(record);
    const known: Known = {
      record,
      identity,
      granted: { ok: true, identity },
      expiresAtMs: record.expiresAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(record.expiresAt),
      until: now() + cacheTtlMs,
    };
    // Accepted keys are remembered by the key itself for `cacheTtlMs` (bounded, in this process only), so a busy
    // caller costs one map lookup rather than a hash and a store read per request.
    if (cacheTtlMs > 0) {
      if (accepted.size >= 1_000) accepted.delete(accepted.keys().next().value!);
      accepted.set(key, known);
    }
    return known;
  }

  function judge(known: Known | undefined, scope: ApiKeyScope | undefined): ApiKeyVerdict {
    if (known === undefined) return UNKNOWN;
    if (known.record.revokedAt !== undefined) return REVOKED;
    if (known.expiresAtMs <= now()) return EXPIRED;
    if (scope !== undefined && !hasScope(known.record.scopes, scope)) return { ok: false, reason: 'forbidden', identity: known.identity };
    noteUse(known.record);
    return known.granted;
  }

  function noteUse(record: ApiKeyRecord): void {
    const at = now();
    const last = lastUsedWrites.get(record.id) ?? (record.lastUsedAt === undefined ? 0 : Date.parse(record.lastUsedAt));
    if (at - last < granularityMs) return;
    lastUsedWrites.set(record.id, at);
    // Best effort: a failed write of lastUsedAt must not fail the request it came with.
    store.apiKeys.update(record.id, { lastUsedAt: new Date(at).toISOString() }).catch(() => undefined);
  }

  return {
    issue: (input) => make(input),
    verify(key, scope) {
      // Every request of an API client comes here: a remembered key is judged without a hash, a store read or an await.
      const cached = accepted.get(key);
      if (cached !== undefined && cached.until > now()) return Promise.resolve(judge(cached, scope));
      return lookup(key).then((known) => judge(known, scope));
    },
    async rotate(id, rotateOptions = {}) {
      const old = await store.apiKeys.get(id);
      if (old.revokedAt !== undefined)
        throw new IntegrationError({ kind: 'conflict', message: `API key "${id}" is revoked; issue a new one` });
      const graceEnds = now() + (rotateOptions.graceMs ?? 86_400_000);
      const oldExpiry = old.expiresAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(old.expiresAt);
      const issued = await make({
        workspaceId: old.workspaceId,
        name: old.name,
        scopes: old.scopes,
        expiresAt: rotateOptions.expiresAt,
      });
      if (graceEnds < oldExpiry) await store.apiKeys.update(id, { expiresAt: new Date(graceEnds).toISOString() });
      forget(id);
      return issued;
    },
    async revoke(id) {
      const record = await store.apiKeys.update(id, { revokedAt: new Date(now()).toISOString() });
      forget(id);
      return record;
    },
    list: (workspaceId) => store.apiKeys.list(workspaceId === undefined ? {} : { workspaceId }),
  };

  function forget(id: string): void {
    for (const [presented, entry] of accepted) if (entry.record.id === id) accepted.delete(presented);
  }
}
