import { createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IntegrationError } from '@switchyard/core';
import { createCredentialSealer, masterKeysFromEnvironment, type SealedValue } from './credential-sealer';

const KEY_A = { id: 'key-a', secret: randomBytes(32).toString('base64') };
const KEY_B = { id: 'key-b', secret: randomBytes(32).toString('hex') };
const SECRET = 'ghp_plantedSealerSecret0123456789abcdef';
const address = { integrationId: 'github-acme', field: 'apiKey' };

/** Flips one bit of a base64 value, as an attacker with write access to the store could. */
function flipBit(base64: string, byteIndex = 0): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[byteIndex % bytes.length] = (bytes[byteIndex % bytes.length] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

function openError(run: () => unknown): IntegrationError {
  try {
    run();
  } catch (error) {
    if (IntegrationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the record not to open');
}

describe('createCredentialSealer', () => {
  const sealer = createCredentialSealer({ current: KEY_A });
  const sealed: SealedValue = sealer.seal(address, SECRET);

  it('opens what it sealed, with the key id, a fresh 96-bit IV and a 128-bit tag per record', () => {
    expect(sealer.open({ ...address, ...sealed })).toBe(SECRET);
    expect(sealed.keyId).toBe('key-a');
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(sealed.authTag, 'base64')).toHaveLength(16);
    const again = sealer.seal(address, SECRET);
    expect(again.iv).not.toBe(sealed.iv);
    expect(again.ciphertext).not.toBe(sealed.ciphertext);
    expect(JSON.stringify(sealed)).not.toContain(SECRET);
    expect(sealer.open({ ...address, ...sealer.seal(address, '') })).toBe('');
    expect(sealer.open({ ...address, ...sealer.seal(address, 'ünïcødé ✓') })).toBe('ünïcødé ✓');
  });

  it.each([
    ['a flipped ciphertext byte', { ...address, ...sealed, ciphertext: flipBit(sealed.ciphertext, 5) }],
    ['a flipped tag byte', { ...address, ...sealed, authTag: flipBit(sealed.authTag, 3) }],
    ['a flipped IV byte', { ...address, ...sealed, iv: flipBit(sealed.iv, 7) }],
    ['a truncated tag', { ...address, ...sealed, authTag: Buffer.from(sealed.authTag, 'base64').subarray(0, 12).toString('base64') }],
    ['a record moved to another integration', { ...sealed, integrationId: 'github-other', field: 'apiKey' }],
    ['a record moved to another field', { ...sealed, integrationId: 'github-acme', field: 'webhookSecret' }],
    ['a record relabelled with another key id', { ...address, ...sealed, keyId: 'key-b' }],
  ])('refuses %s with an auth error that holds no secret', (_case, record) => {
    const withBothKeys = createCredentialSealer({ current: KEY_A, previous: [KEY_B] });
    const error = openError(() => withBothKeys.open(record));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain(record.field);
    const everything = `${error.message} ${inspect(error, { depth: 8 })} ${JSON.stringify(error)} ${String(error.cause)}`;
    for (const secret of [SECRET, KEY_A.secret, KEY_B.secret]) expect(everything).not.toContain(secret);
  });

  it('refuses a record sealed with another key, whether its id is unknown or reused', () => {
    expect(openError(() => createCredentialSealer({ current: KEY_B }).open({ ...address, ...sealed })).kind).toBe('auth');
    const impostor = createCredentialSealer({ current: { id: 'key-a', secret: randomBytes(32) } });
    const error = openError(() => impostor.open({ ...address, ...sealed }));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/different key/);
  });

  it('opens records of previous keys and seals with the current one after withCurrentKey', () => {
    const rotated = sealer.withCurrentKey(KEY_B);
    expect(rotated.currentKeyId).toBe('key-b');
    expect(rotated.keyIds).toEqual(['key-b', 'key-a']);
    expect(rotated.open({ ...address, ...sealed })).toBe(SECRET);
    expect(rotated.seal(address, SECRET).keyId).toBe('key-b');
    expect(() => sealer.withCurrentKey({ id: 'key-a', secret: randomBytes(32) })).toThrow(/share the id "key-a"/);
  });

  it('derives a stable key id from the key when none is given, the same in every process', () => {
    const material = randomBytes(32);
    const first = createCredentialSealer({ current: { secret: material } });
    const second = createCredentialSealer({ current: { secret: material.toString('base64url') } });
    expect(first.currentKeyId).toMatch(/^[0-9a-f]{16}$/);
    expect(second.currentKeyId).toBe(first.currentKeyId);
    expect(second.open({ ...address, ...first.seal(address, SECRET) })).toBe(SECRET);
  });

  it('refuses short keys, and stretches passphrases with scrypt when asked to', () => {
    expect(() => createCredentialSealer({ current: { secret: randomBytes(16).toString('base64') } })).toThrow(/at least 32 random bytes/);
    expect(() => createCredentialSealer({ current: { secret: 'correct horse battery staple' } })).toThrow(/passphrase/);
    const passphrase = { id: 'ops-2026', passphrase: 'correct horse battery staple', salt: 'switchyard-acme-production' };
    const sealedWithPassphrase = createCredentialSealer({ current: passphrase }).seal(address, SECRET);
    expect(createCredentialSealer({ current: passphrase }).open({ ...address, ...sealedWithPassphrase })).toBe(SECRET);
    expect(() => createCredentialSealer({ current: { ...passphrase, salt: 'short' } })).toThrow(/salt/);
  });
});

describe('masterKeysFromEnvironment', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('names SWITCHYARD_MASTER_KEY when it is missing', () => {
    vi.stubEnv('SWITCHYARD_MASTER_KEY', '');
    expect(() => masterKeysFromEnvironment()).toThrow(/SWITCHYARD_MASTER_KEY/);
  });

  it('reads the current key and previous ones, with optional ids', () => {
    vi.stubEnv('SWITCHYARD_MASTER_KEY', `key-b:${KEY_B.secret}`);
    vi.stubEnv('SWITCHYARD_PREVIOUS_MASTER_KEYS', ` key-a:${KEY_A.secret} , `);
    const keys = masterKeysFromEnvironment();
    expect(keys.current).toEqual({ id: 'key-b', secret: KEY_B.secret });
    const sealer = createCredentialSealer(keys);
    expect(sealer.keyIds).toEqual(['key-b', 'key-a']);
    const oldRecord = createCredentialSealer({ current: KEY_A }).seal(address, SECRET);
    expect(sealer.open({ ...address, ...oldRecord })).toBe(SECRET);
  });
});

describe('master key material', () => {
  const sealerWith = (secret: string | Uint8Array) => () => createCredentialSealer({ current: { id: 'k', secret } });

  it('reads all-hex text as hex whatever its length, so 48 hex characters are 24 bytes, too few', () => {
    expect(sealerWith(randomBytes(24).toString('hex'))).toThrow(/at least 32 random bytes; this one decodes to 24/);
    expect(sealerWith(randomBytes(32).toString('hex').toUpperCase())).not.toThrow();
  });

  it('refuses text that is not hex, base64 or base64url, naming the accepted forms', () => {
    const base64 = randomBytes(32).toString('base64');
    for (const text of ['correct horse battery staple, a long passphrase', `${base64.slice(0, 20)}+-${base64.slice(22)}`, `${base64}x`]) {
      expect(sealerWith(text), text).toThrow(/hex, base64 or base64url of at least 32 random bytes.*\{ id, passphrase, salt \}/);
    }
  });

  it('refuses a password that passes for base64: words written together, or in one letter case', () => {
    for (const password of [
      'ThisIsMyVeryLongAndSecurePasswordForTheVault', // 44 letters: decodes as base64 to 33 bytes
      'correct-horse-battery-staple-and-more-words',
      'correcthorsebatterystaple2024ismypassword12',
      'SWITCHYARDMASTERKEYPRODUCTIONENVIRONMENT2024',
    ]) {
      expect(sealerWith(password), password).toThrow(/reads as words.*openssl rand -base64 32/);
    }
  });

  it('refuses text encoded as base64 or hex: key material that decodes to printable text is not random', () => {
    const sentence = 'an English sentence that is long enough to pass for 32 bytes';
    for (const secret of [Buffer.from(sentence).toString('base64'), Buffer.from(sentence).toString('hex'), Buffer.from(sentence)]) {
      expect(sealerWith(secret)).toThrow(/decodes to printable text/);
    }
  });

  it('takes random keys in every accepted form and size, never calling one of them words or text', () => {
    // Reproducible random bytes (SHA-512 of a counter): a failure here names the same keys on every run.
    for (let round = 0; round < 300; round += 1) {
      const bytes = createHash('sha512')
        .update(`key ${round}`)
        .digest()
        .subarray(0, [32, 48, 64][round % 3]);
      for (const secret of [
        bytes,
        bytes.toString('hex'),
        bytes.toString('base64'),
        bytes.toString('base64url'),
        ` ${bytes.toString('base64')}\n`,
      ]) {
        expect(sealerWith(secret)).not.toThrow();
      }
    }
  });

  it('never quotes the refused key in its error', () => {
    const password = 'ThisIsMyVeryLongAndSecurePasswordForTheVault';
    const error = openError(sealerWith(password));
    expect(error.kind).toBe('validation');
    expect(`${error.message}\n${inspect(error, { depth: 5 })}`).not.toContain(password);
  });
});
