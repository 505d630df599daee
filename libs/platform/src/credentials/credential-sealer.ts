import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, scryptSync } from 'node:crypto';
import { IntegrationError, redactIntegrationError, SecretSet } from '@switchyard/core';
import { decodeKeyMaterial, MINIMUM_KEY_BYTES } from './credential-sealer-key-material';

/** The environment variable the current master key is read from when no keys are passed. */
export const MASTER_KEY_ENVIRONMENT_VARIABLE = 'SWITCHYARD_MASTER_KEY';

/** The environment variable older master keys (comma-separated) are read from, so records sealed with them stay readable. */
export const PREVIOUS_MASTER_KEYS_ENVIRONMENT_VARIABLE = 'SWITCHYARD_PREVIOUS_MASTER_KEYS';

const IV_BYTES = 12;
const AUTH_TAG_BYTES = 16;
const CIPHER = 'aes-256-gcm';
/** Fixed HKDF salt: the master key is already uniformly random, so the salt only separates this use from others (RFC 5869 §3.1). */
const HKDF_SALT = 'switchyard.credential-vault';
const DATA_KEY_INFO = 'switchyard.credential-vault.aes-256-gcm.v1';
const KEY_ID_INFO = 'switchyard.credential-vault.key-id.v1';
const AAD_FORMAT = 'switchyard.credential.v1';

/**
 * A master key given as random key material: at least 32 random bytes, as a
 * `Uint8Array`, or as a string in hex (64+ characters, read as hex whenever
 * every character is a hex digit) or base64/base64url. Text that is none of
 * these, bytes that are printable text, and base64 that reads as words are
 * refused with a `validation` error (docs/security.md, "Master keys").
 * Generate one with `openssl rand -base64 32`.
 */
export interface RandomMasterKey {
  /**
   * Stored with every record it seals, so the right key opens it after a
   * rotation. Default: a fingerprint derived from the key (16 hex
   * characters, HKDF, not reversible), so every process using the same key
   * agrees on its id without configuring one.
   */
  readonly id?: string | undefined;
  /** The key material. Never logged; the sealer redacts its errors with it. */
  readonly secret: string | Uint8Array;
}

/**
 * A master key given as a passphrase, for hosts that cannot keep 32 random
 * bytes. It is stretched with scrypt (N=2^15, r=8, p=1, about 30–60 ms, once
 * per key when the vault is created), then derived like a random key.
 */
export interface PassphraseMasterKey {
  /** Stored with every record it seals. Required: a passphrase has no safe fingerprint. */
  readonly id: string;
  /** The passphrase. Never logged; the sealer redacts its errors with it. */
  readonly passphrase: string;
  /** A salt unique to this deployment (at least 16 characters), the same in every process; not secret. */
  readonly salt: string;
}

/** A master key: random key material (recommended) or a passphrase. */
export type MasterKey = RandomMasterKey | PassphraseMasterKey;

/** The master keys of a vault: one to seal with, older ones to open records sealed before a rotation. */
export interface MasterKeys {
  /** Seals every new record and every re-sealed one. */
  readonly current: MasterKey;
  /** Keys that only open records. Default: none. */
  readonly previous?: readonly MasterKey[] | undefined;
}

/** Where a sealed value is bound: a record opens only for the integration and field it was sealed for. */
export interface CredentialAddress {
  readonly integrationId: string;
  readonly field: string;
}

/** What sealing produces and a credential record stores: base64 strings and the key id. */
export interface SealedValue {
  readonly keyId: string;
  /** Base64 of a random 96-bit IV, new for every seal. */
  readonly iv: string;
  /** Base64. */
  readonly ciphertext: string;
  /** Base64 of the 128-bit GCM tag. */
  readonly authTag: string;
}

/**
 * Seals and opens credential values with AES-256-GCM. Data keys are derived
 * once, when the sealer is created; sealing and opening only run the cipher.
 */
export interface CredentialSealer {
  /** The id of the key new records are sealed with. */
  readonly currentKeyId: string;
  /** Every key id this sealer can open, current first. */
  readonly keyIds: readonly string[];
  /** Encrypts `plaintext` for one integration's field under the current key. */
  seal(address: CredentialAddress, plaintext: string): SealedValue;
  /**
   * Decrypts a record. Throws `IntegrationError` kind `auth` when the key id
   * is unknown, or the record was tampered with, sealed with another key, or
   * sealed for another integration or field. The message names the
   * integration, field and key id, never any secret material.
   */
  open(record: CredentialAddress & SealedValue): string;
  /** A sealer with `key` as its current key and the present keys kept for opening. */
  withCurrentKey(key: MasterKey): CredentialSealer;
}

interface DerivedKey {
  readonly id: string;
  readonly dataKey: Buffer;
}

/** A `validation` error about the keys, redacted with the sealer's key material when there is some. */
function invalidKey(message: string, secrets?: SecretSet): IntegrationError {
  return redactIntegrationError(new IntegrationError({ kind: 'validation', message, operation: 'credentials.keys' }), secrets);
}

/** The key's raw material; a passphrase or key string joins `secrets` first, so no error can quote it. */
function keyMaterial(key: MasterKey, secrets: SecretSet): Buffer {
  if ('passphrase' in key) {
    secrets.add(key.passphrase);
    if (key.passphrase.length < 12) throw invalidKey(`Master key "${key.id}": a passphrase needs at least 12 characters.`, secrets);
    if (key.salt.length < 16) throw invalidKey(`Master key "${key.id}": the scrypt salt needs at least 16 characters.`, secrets);
    return scryptSync(key.passphrase, key.salt, MINIMUM_KEY_BYTES, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  }
  if (typeof key.secret === 'string') secrets.add(key.secret.trim());
  const decoded = decodeKeyMaterial(key.secret);
  if ('problem' in decoded)
    throw invalidKey(key.id === undefined ? decoded.problem : `Master key "${key.id}": ${decoded.problem}`, secrets);
  return decoded.material;
}

/**
 * HKDF-SHA256, not scrypt or PBKDF2: the master key is already 256+ bits of
 * randomness, so there is nothing to stretch; HKDF extracts and expands it
 * into an independent data key (and a key id) in microseconds. Passphrases
 * are stretched with scrypt first, in {@link keyMaterial}.
 */
function deriveKey(key: MasterKey, secrets: SecretSet): DerivedKey {
  const material = keyMaterial(key, secrets);
  const dataKey = Buffer.from(hkdfSync('sha256', material, HKDF_SALT, DATA_KEY_INFO, 32));
  const id = key.id ?? Buffer.from(hkdfSync('sha256', material, HKDF_SALT, KEY_ID_INFO, 8)).toString('hex');
  material.fill(0);
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(id)) throw invalidKey('A master key id must be 1–64 letters, digits, ".", "_", ":" or "-".', secrets);
  return { id, dataKey };
}

/** Binds a record to its integration and field; JSON keeps the parts unambiguous whatever characters they hold. */
function additionalData(address: CredentialAddress, keyId: string): Buffer {
  return Buffer.from(JSON.stringify([AAD_FORMAT, address.integrationId, address.field, keyId]), 'utf8');
}

function cannotOpen(record: CredentialAddress & { readonly keyId: string }, reason: string, secrets: SecretSet): IntegrationError {
  const error = new IntegrationError({
    kind: 'auth',
    message: `Credential "${record.field}" of integration "${record.integrationId}" (key "${record.keyId}") could not be opened: ${reason}.`,
    operation: 'credentials.open',
    isRetryable: false,
  });
  return redactIntegrationError(error, secrets);
}

/** `secrets`: the key material of every key, the sealer's own set, which its errors are redacted with. */
function buildSealer(keys: readonly DerivedKey[], secrets: SecretSet): CredentialSealer {
  const [current] = keys;
  if (current === undefined) throw invalidKey('A credential sealer needs a current key.', secrets);
  const byId = new Map<string, DerivedKey>();
  for (const key of keys) {
    const existing = byId.get(key.id);
    if (existing !== undefined && !existing.dataKey.equals(key.dataKey))
      throw invalidKey(`Two different master keys share the id "${key.id}".`, secrets);
    if (existing === undefined) byId.set(key.id, key);
  }
  return {
    currentKeyId: current.id,
    keyIds: [...byId.keys()],
    seal(address, plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(CIPHER, current.dataKey, iv, { authTagLength: AUTH_TAG_BYTES });
      cipher.setAAD(additionalData(address, current.id));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return {
        keyId: current.id,
        iv: iv.toString('base64'),
        ciphertext: ciphertext.toString('base64'),
        authTag: cipher.getAuthTag().toString('base64'),
      };
    },
    open(record) {
      const key = byId.get(record.keyId);
      if (key === undefined) throw cannotOpen(record, 'its key is not among the configured master keys', secrets);
      const iv = Buffer.from(record.iv, 'base64');
      const authTag = Buffer.from(record.authTag, 'base64');
      if (iv.length !== IV_BYTES || authTag.length !== AUTH_TAG_BYTES) throw cannotOpen(record, 'the record is malformed', secrets);
      try {
        const decipher = createDecipheriv(CIPHER, key.dataKey, iv, { authTagLength: AUTH_TAG_BYTES });
        decipher.setAAD(additionalData(record, record.keyId));
        decipher.setAuthTag(authTag);
        return Buffer.concat([decipher.update(Buffer.from(record.ciphertext, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        // The cause (OpenSSL's "unable to authenticate data") says nothing more and is left out on purpose.
        throw cannotOpen(record, 'it was altered, sealed with a different key, or sealed for another integration or field', secrets);
      }
    },
    withCurrentKey(key) {
      // Same id and same key: kept once. Same id, different key: refused, or older records would stop opening.
      return buildSealer([deriveKey(key, secrets), ...keys], secrets);
    },
  };
}

/**
 * Creates a {@link CredentialSealer}: AES-256-GCM with a random 96-bit IV per
 * record, a 128-bit tag, and additional authenticated data binding each
 * record to its integration id, field and key id, so a record copied to
 * another integration or field does not open. Each master key's data key is
 * derived here, once, with HKDF-SHA256. The key material is kept in a
 * `SecretSet` of the sealer's own, which its errors are redacted with; it is
 * shared with nothing else.
 *
 * @example
 * ```ts
 * const sealer = createCredentialSealer({ current: { secret: process.env.MY_VAULT_KEY! } });
 * const sealed = sealer.seal({ integrationId: 'github-acme', field: 'apiKey' }, 'ghp_...');
 * ```
 */
export function createCredentialSealer(keys: MasterKeys): CredentialSealer {
  const secrets = new SecretSet();
  return buildSealer(
    [keys.current, ...(keys.previous ?? [])].map((key) => deriveKey(key, secrets)),
    secrets,
  );
}

function parseEnvironmentKey(text: string): RandomMasterKey {
  const separator = text.indexOf(':');
  // `id:material`; base64 and hex never contain ":".
  return separator > 0 ? { id: text.slice(0, separator), secret: text.slice(separator + 1) } : { secret: text };
}

/**
 * Reads master keys from the environment, when called (never at import):
 * `SWITCHYARD_MASTER_KEY` holds the current key and
 * `SWITCHYARD_PREVIOUS_MASTER_KEYS` (optional) older ones, comma-separated.
 * Each is base64 or hex key material, optionally prefixed with `id:`.
 * Throws `IntegrationError` kind `validation` naming `SWITCHYARD_MASTER_KEY`
 * when it is not set.
 */
export function masterKeysFromEnvironment(): MasterKeys {
  const current = process.env[MASTER_KEY_ENVIRONMENT_VARIABLE]?.trim();
  if (current === undefined || current === '') {
    throw invalidKey(
      `No master key for the credential vault: set ${MASTER_KEY_ENVIRONMENT_VARIABLE} (e.g. the output of \`openssl rand -base64 32\`) or pass \`keys\`.`,
    );
  }
  const previous = (process.env[PREVIOUS_MASTER_KEYS_ENVIRONMENT_VARIABLE] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map(parseEnvironmentKey);
  return { current: parseEnvironmentKey(current), previous };
}
