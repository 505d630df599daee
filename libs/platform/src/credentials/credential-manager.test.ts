import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redactText } from '@switchyard/core';
import { integrationErrorOf } from '@switchyard/core/testing';
import { createMemoryStore } from '../store/memory-store';
import type { Store } from '../store/store';
import { createCredentialManager } from './credential-manager';
import { createCredentialSealer } from './credential-sealer';

const SECRET = 'xoxb-planted-manager-secret-0123456789';
const OLD_KEY = { id: 'old', secret: randomBytes(32).toString('base64') };
const NEW_KEY = { id: 'new', secret: randomBytes(32).toString('base64') };

async function storeWith(...integrationIds: string[]): Promise<Store> {
  const store = createMemoryStore();
  for (const id of integrationIds) await store.integrations.create({ id, providerId: 'slack', name: id });
  return store;
}

describe('createCredentialManager', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('stores secrets sealed and reads them back', async () => {
    const store = await storeWith('slack-acme');
    const credentials = createCredentialManager({ store, keys: { current: OLD_KEY } });
    await credentials.set('slack-acme', 'botToken', SECRET);
    await credentials.set('slack-acme', 'signingSecret', 'a-second-secret-value');
    expect(await credentials.get('slack-acme', 'botToken')).toBe(SECRET);
    expect(await createCredentialManager({ store, keys: { current: OLD_KEY } }).get('slack-acme', 'signingSecret')).toBe(
      'a-second-secret-value',
    );
    const stored = JSON.stringify(await store.credentials.list());
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(stored).not.toContain(OLD_KEY.secret);
  });

  it('never shows a planted secret in errors, inspect output or records, even when the record is tampered with', async () => {
    const store = await storeWith('slack-acme');
    const credentials = createCredentialManager({ store, keys: { current: OLD_KEY } });
    await credentials.set('slack-acme', 'botToken', SECRET);
    const record = await store.credentials.get('slack-acme', 'botToken');
    await store.credentials.put({ ...record, ciphertext: Buffer.from(`${SECRET}!`).toString('base64'), expectedVersion: record.version });
    const tampered = await integrationErrorOf(createCredentialManager({ store, keys: { current: OLD_KEY } }).get('slack-acme', 'botToken'));
    expect(tampered.kind).toBe('auth');
    const wrongKey = await integrationErrorOf(
      createCredentialManager({ store, keys: { current: { ...NEW_KEY, id: 'old' } } }).get('slack-acme', 'botToken'),
    );
    expect(wrongKey.kind).toBe('auth');
    const missing = await integrationErrorOf(credentials.get('slack-acme', 'nothing'));
    expect(missing.kind).toBe('not_found');
    const everything = [tampered, wrongKey, missing]
      .map((error) => `${error.message} ${inspect(error, { depth: 8 })} ${JSON.stringify(error)}`)
      .concat(inspect(credentials, { depth: 8, showHidden: true }), JSON.stringify(await store.credentials.list()))
      .join('\n');
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(OLD_KEY.secret);
    expect(redactText(`leaked ${SECRET} in a log line`, credentials.secrets)).toBe('leaked [REDACTED] in a log line');
  });

  it('keeps what it opens in its secrets, one slot per integration and field: a new value replaces the old, a deleted one is dropped', async () => {
    const store = await storeWith('slack-acme', 'slack-beta');
    await createCredentialManager({ store, keys: { current: OLD_KEY } }).set('slack-beta', 'botToken', 'xoxb-opened-from-the-store');
    const credentials = createCredentialManager({ store, keys: { current: OLD_KEY } });
    expect(credentials.secrets.size).toBe(0);
    await credentials.get('slack-beta', 'botToken');
    await credentials.set('slack-acme', 'botToken', SECRET);
    expect(redactText(`xoxb-opened-from-the-store ${SECRET}`, credentials.secrets)).toBe('[REDACTED] [REDACTED]');
    await credentials.set('slack-acme', 'botToken', 'xoxb-the-replacement-token');
    expect(credentials.secrets.size).toBe(2);
    expect(redactText(`${SECRET} xoxb-the-replacement-token`, credentials.secrets)).toBe(`${SECRET} [REDACTED]`);
    await credentials.delete('slack-acme', 'botToken');
    expect(credentials.secrets.size).toBe(1);
    expect(redactText('xoxb-the-replacement-token', credentials.secrets)).toBe('xoxb-the-replacement-token');
    // A vault knows only what it opened: another manager over the same store knows nothing yet.
    expect(createCredentialManager({ store, keys: { current: OLD_KEY } }).secrets.size).toBe(0);
  });

  it('decrypts a record once per version, not on every read', async () => {
    const store = await storeWith('slack-acme');
    const sealer = createCredentialSealer({ current: OLD_KEY });
    const open = vi.spyOn(sealer, 'open');
    const writer = createCredentialManager({ store, sealer: createCredentialSealer({ current: OLD_KEY }) });
    const reader = createCredentialManager({ store, sealer });
    await writer.set('slack-acme', 'botToken', SECRET);
    for (let read = 0; read < 20; read += 1) expect(await reader.get('slack-acme', 'botToken')).toBe(SECRET);
    expect(open).toHaveBeenCalledTimes(1);
    await writer.set('slack-acme', 'botToken', 'xoxb-the-next-token-value');
    expect(await reader.get('slack-acme', 'botToken')).toBe('xoxb-the-next-token-value');
    expect(await reader.get('slack-acme', 'botToken')).toBe('xoxb-the-next-token-value');
    expect(open).toHaveBeenCalledTimes(2);
    reader.clearCache();
    await reader.get('slack-acme', 'botToken');
    expect(open).toHaveBeenCalledTimes(3);
  });

  it('tells a recreated record from the cached one at the same version', async () => {
    const store = await storeWith('slack-acme');
    const credentials = createCredentialManager({ store, keys: { current: OLD_KEY } });
    await credentials.set('slack-acme', 'botToken', SECRET);
    expect(await credentials.get('slack-acme', 'botToken')).toBe(SECRET);
    await store.integrations.delete('slack-acme');
    await store.integrations.create({ id: 'slack-acme', providerId: 'slack', name: 'again' });
    await createCredentialManager({ store, keys: { current: OLD_KEY } }).set('slack-acme', 'botToken', 'xoxb-recreated-token-value');
    expect(await credentials.get('slack-acme', 'botToken')).toBe('xoxb-recreated-token-value');
  });

  it('answers has() for the hub from what it loaded and wrote', async () => {
    const store = await storeWith('slack-acme', 'slack-beta');
    await createCredentialManager({ store, keys: { current: OLD_KEY } }).set('slack-beta', 'botToken', SECRET);
    const credentials = createCredentialManager({ store, keys: { current: OLD_KEY } });
    expect(credentials.has('slack-beta')).toBe(false);
    await credentials.load();
    expect(credentials.has('slack-beta')).toBe(true);
    expect(credentials.has('slack-acme')).toBe(false);
    await credentials.set('slack-acme', 'botToken', SECRET);
    expect(credentials.has('slack-acme')).toBe(true);
    await credentials.delete('slack-acme', 'botToken');
    expect(credentials.has('slack-acme')).toBe(false);
    expect((await integrationErrorOf(credentials.get('slack-acme', 'botToken'))).kind).toBe('not_found');
    expect((await integrationErrorOf(credentials.delete('slack-acme', 'botToken'))).kind).toBe('not_found');
  });

  it('reads the master key from SWITCHYARD_MASTER_KEY on first use, and names it when it is missing', async () => {
    const store = await storeWith('slack-acme');
    vi.stubEnv('SWITCHYARD_MASTER_KEY', '');
    const credentials = createCredentialManager({ store });
    const error = await integrationErrorOf(credentials.set('slack-acme', 'botToken', SECRET));
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('SWITCHYARD_MASTER_KEY');
    vi.stubEnv('SWITCHYARD_MASTER_KEY', `old:${OLD_KEY.secret}`);
    await credentials.set('slack-acme', 'botToken', SECRET);
    expect(await createCredentialManager({ store, keys: { current: OLD_KEY } }).get('slack-acme', 'botToken')).toBe(SECRET);
  });

  it('rotates the master key: every record re-sealed under the new key id, readable throughout', async () => {
    const integrations = ['slack-a', 'slack-b', 'slack-c'];
    const store = await storeWith(...integrations);
    const credentials = createCredentialManager({ store, keys: { current: OLD_KEY } });
    const expected = new Map<string, string>();
    for (const integrationId of integrations) {
      for (const field of ['botToken', 'signingSecret']) {
        const value = `${integrationId}-${field}-${randomBytes(8).toString('hex')}`;
        expected.set(`${integrationId}/${field}`, value);
        await credentials.set(integrationId, field, value);
      }
    }
    const rotation = credentials.rotateKey(NEW_KEY);
    // A reader that has both keys keeps reading while the rotation runs.
    const duringRotation = createCredentialManager({ store, keys: { current: NEW_KEY, previous: [OLD_KEY] } });
    expect(await duringRotation.get('slack-b', 'botToken')).toBe(expected.get('slack-b/botToken'));
    expect(await rotation).toEqual({ keyId: 'new', resealed: 6 });

    const records = await store.credentials.list();
    expect(records).toHaveLength(6);
    expect(records.map((record) => record.keyId)).toEqual(Array(6).fill('new'));
    expect(await store.credentials.list({ keyId: 'old' })).toEqual([]);
    const newKeyOnly = createCredentialManager({ store, keys: { current: NEW_KEY } });
    for (const record of records) {
      expect(await newKeyOnly.get(record.integrationId, record.field)).toBe(expected.get(`${record.integrationId}/${record.field}`));
    }
    expect(await credentials.rotateKey(NEW_KEY)).toEqual({ keyId: 'new', resealed: 0 });
    await credentials.set('slack-a', 'botToken', SECRET);
    expect((await store.credentials.get('slack-a', 'botToken')).keyId).toBe('new');
  });

  it('rotation keeps a value another writer stored mid-rotation instead of overwriting it', async () => {
    const store = await storeWith('slack-a');
    const credentials = createCredentialManager({ store, keys: { current: OLD_KEY } });
    await credentials.set('slack-a', 'botToken', 'xoxb-before-rotation');
    const otherProcess = createCredentialManager({ store, keys: { current: OLD_KEY } });
    const put = store.credentials.put.bind(store.credentials);
    let raced = false;
    vi.spyOn(store.credentials, 'put').mockImplementation(async (write) => {
      if (!raced && write.keyId === 'new') {
        raced = true;
        await otherProcess.set('slack-a', 'botToken', 'xoxb-written-meanwhile');
      }
      return put(write);
    });
    expect(await credentials.rotateKey(NEW_KEY)).toEqual({ keyId: 'new', resealed: 1 });
    const record = await store.credentials.get('slack-a', 'botToken');
    expect(record.keyId).toBe('new');
    expect(await createCredentialManager({ store, keys: { current: NEW_KEY, previous: [OLD_KEY] } }).get('slack-a', 'botToken')).toBe(
      'xoxb-written-meanwhile',
    );
  });
});
