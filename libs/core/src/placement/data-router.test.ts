import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { createMemoryFunctionsProvider } from '../testing/memory-functions-provider';
import { createMemoryIssuesProvider } from '../testing/memory-issues-provider';
import { createMemoryStorageProvider } from '../testing/memory-storage-provider';
import { integrationErrorOf } from '../testing/integration-error-of';
import { BUCKET, collect, dataHub, eventually, objectInput, storageProviders, switchable } from './test-fixtures';

const at = (key: string) => ({ bucket: BUCKET, key });

describe('primary writes and placement reads', () => {
  it('reads an object where it was written, also after the preferred provider is back, and never asks the others', async () => {
    const [a, b, c] = storageProviders();
    const hub = dataHub([a!, b!, c!]);

    const first = await hub.execute({ capability: 'storage', operation: 'putObject', input: objectInput('before.txt') });
    expect(first.provider).toBe('a');
    expect(first.placement).toEqual({ policy: 'primary', holders: ['a'], missed: [], pending: [] });

    a!.down();
    const moved = await hub.execute({ capability: 'storage', operation: 'putObject', input: objectInput('during.txt') });
    expect(moved.provider).toBe('b');
    expect(moved.placement).toEqual({ policy: 'primary', holders: ['b'], missed: [], pending: [] });
    expect(moved.failedAttempts.map((attempt) => [attempt.provider, attempt.kind])).toEqual([['a', 'network']]);

    const during = await hub.execute({ capability: 'storage', operation: 'getObject', input: at('during.txt') });
    expect(during.provider).toBe('b');
    expect(during.placement).toEqual({ policy: 'placement', holders: ['b'], missed: [], pending: [] });
    expect((during.value as { body: string }).body).toBe('body of during.txt');

    // The object only a holds is not reported missing while a is down: the caller learns a is unreachable.
    const unreachable = await integrationErrorOf(hub.storage.getObject(at('before.txt')));
    expect(unreachable.kind).not.toBe('not_found');
    expect(['network', 'circuit_open']).toContain(unreachable.kind);
    expect(b!.calls('getObject') + c!.calls('getObject')).toBe(1);

    a!.up();
    const getsOnA = a!.calls('getObject');
    const after = await hub.execute({ capability: 'storage', operation: 'getObject', input: at('during.txt') });
    expect(after.provider).toBe('b');
    expect(a!.calls('getObject')).toBe(getsOnA);
    expect(c!.calls('getObject')).toBe(0);
    await hub.close();
  });

  it('moves a function deployed during an outage and invokes it where it went', async () => {
    const [f1, f2] = [switchable(createMemoryFunctionsProvider({ id: 'f1' })), switchable(createMemoryFunctionsProvider({ id: 'f2' }))];
    const hub = dataHub([f1, f2]);
    const zipBase64 = Buffer.from([0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0]).toString('base64');
    await hub.execute({ capability: 'functions', operation: 'deployFunction', input: { name: 'resize', zipBase64 } });

    f1.down();
    const deployed = await hub.execute({ capability: 'functions', operation: 'deployFunction', input: { name: 'thumbnail', zipBase64 } });
    expect(deployed.provider).toBe('f2');
    f1.up();
    const invoked = await hub.execute({ capability: 'functions', operation: 'invokeFunction', input: { name: 'thumbnail', payload: 7 } });
    expect(invoked.provider).toBe('f2');
    expect(invoked.value).toEqual({ statusCode: 200, result: 7 });
    expect(f1.calls('invokeFunction')).toBe(0);

    f1.down();
    const error = await integrationErrorOf(hub.functions.invokeFunction({ name: 'resize' }));
    expect(error.kind).toBe('network');
    expect(f2.calls('invokeFunction')).toBe(1);
    await hub.close();
  });
});

describe('first-found reads', () => {
  it('finds an object only the third provider holds, each not_found hop visible as a failover event', async () => {
    const [a, b, c] = storageProviders();
    const hub = dataHub([a!, b!, c!]);
    const failovers = collect(hub, 'failover');
    await hub.storage.putObject(objectInput('third.txt'), { only: ['c'] });

    const found = await hub.execute(
      { capability: 'storage', operation: 'getObject', input: at('third.txt') },
      { policy: { read: 'first-found' } },
    );

    expect(found.provider).toBe('c');
    expect(failovers.map((event) => [event.from, event.to, event.error.kind])).toEqual([
      ['a', 'b', 'not_found'],
      ['b', 'c', 'not_found'],
    ]);
    expect([a!.calls('getObject'), b!.calls('getObject'), c!.calls('getObject')]).toEqual([1, 1, 1]);
    await hub.close();
  });

  it('is what a placement read does when the record is missing', async () => {
    const [a, b, c] = storageProviders();
    const hub = dataHub([a!, b!, c!]);
    await hub.storage.putObject(objectInput('forgotten.txt'), { only: ['c'] });
    expect(await hub.placements.delete('storage', `${BUCKET}/forgotten.txt`)).toBe(true);

    const found = await hub.execute({ capability: 'storage', operation: 'getObject', input: at('forgotten.txt') });

    expect(found.provider).toBe('c');
    expect([a!.calls('getObject'), b!.calls('getObject'), c!.calls('getObject')]).toEqual([1, 1, 1]);
    await hub.close();
  });

  it('answers not_found when no provider holds the object', async () => {
    const [a, b] = storageProviders(['a', 'b']);
    const hub = dataHub([a!, b!]);
    const error = await integrationErrorOf(hub.storage.getObject(at('nowhere.txt')));
    expect(error.kind).toBe('not_found');
    expect([a!.calls('getObject'), b!.calls('getObject')]).toEqual([1, 1]);
    await hub.close();
  });
});

describe('provider-specific refusals', () => {
  const REFUSED_BUCKET = 'double--hyphen';
  const refusesDoubleHyphens = (request: { readonly input: unknown }) =>
    (request.input as { bucket?: string }).bucket?.includes('--') === true ? 'container names may not contain "--"' : undefined;
  const providers = () => {
    const buckets = [BUCKET, REFUSED_BUCKET];
    const a = switchable(createMemoryStorageProvider({ id: 'a', buckets }), refusesDoubleHyphens);
    const [b, c] = storageProviders(['b', 'c'], buckets);
    return [a, b!, c!] as const;
  };

  it('moves a write the preferred provider refuses to the next one, without calling it', async () => {
    const [a, b, c] = providers();
    const hub = dataHub([a, b, c]);
    const result = await hub.execute({ capability: 'storage', operation: 'putObject', input: objectInput('x.txt', REFUSED_BUCKET) });
    expect(result.provider).toBe('b');
    expect(result.failedAttempts).toEqual([expect.objectContaining({ provider: 'a', attempt: 0, kind: 'validation' })]);
    expect(a.calls()).toBe(0);
    // Names it accepts still go to a.
    expect((await hub.execute({ capability: 'storage', operation: 'putObject', input: objectInput('y.txt') })).provider).toBe('a');
    await hub.close();
  });

  it('is explained with the input, and fails with validation naming the provider when it is the only one allowed', async () => {
    const [a, b, c] = providers();
    const hub = dataHub([a, b, c]);
    const input = objectInput('x.txt', REFUSED_BUCKET);

    const explained = hub.explain({ capability: 'storage', operation: 'putObject', input });
    expect(explained.candidates.map((candidate) => [candidate.provider, candidate.eligible, candidate.rank])).toEqual([
      ['b', true, 1],
      ['c', true, 2],
      ['a', false, undefined],
    ]);
    expect(explained.candidates[2]!.reason).toMatch(/^refuses this input: container names may not contain "--"/);
    expect(hub.explain({ capability: 'storage', operation: 'putObject' }).candidates.every((candidate) => candidate.eligible)).toBe(true);

    const error = await integrationErrorOf(hub.storage.putObject(input, { only: ['a'] }));
    expect(error.kind).toBe('validation');
    expect(error.provider).toBe('a');
    expect(error.message).toContain('a refuses this input');
    expect(a.calls()).toBe(0);
    await hub.close();
  });

  it('is left out of a mirror without a repair hint', async () => {
    const [a, b, c] = providers();
    const hub = dataHub([a, b, c], { routing: { policies: { storage: { write: 'mirror', quorum: 2 } } } });
    const placements = collect(hub, 'placement');
    const result = await hub.execute({ capability: 'storage', operation: 'putObject', input: objectInput('x.txt', REFUSED_BUCKET) });
    expect([...result.placement!.holders].sort()).toEqual(['b', 'c']);
    expect(await hub.placements.countHints()).toBe(0);
    expect(a.calls()).toBe(0);
    await hub.close();
    expect(placements).toHaveLength(1);
  });
});

describe('primary-only for systems of record', () => {
  const project = 'acme/website';

  it('never moves an issue to another tracker unless the call asks for it', async () => {
    const x = switchable(createMemoryIssuesProvider({ id: 'x' }));
    const y = switchable(createMemoryIssuesProvider({ id: 'y' }));
    const hub = dataHub([x, y]);
    x.down();

    const refused = await integrationErrorOf(hub.issues.createIssue({ project, title: 'Broken link' }));
    expect(refused.kind).toBe('network');
    expect(refused.provider).toBe('x');
    expect(y.calls()).toBe(0);

    const moved = await hub.execute(
      { capability: 'issues', operation: 'createIssue', input: { project, title: 'Broken link' } },
      { policy: { write: 'primary' } },
    );
    expect(moved.provider).toBe('y');
    expect(y.calls('createIssue')).toBe(1);

    const read = await integrationErrorOf(hub.issues.getIssue({ project, issueId: '1' }));
    expect(read.kind).toBe('network');
    expect(y.calls('getIssue')).toBe(0);
    const found = await hub.execute(
      { capability: 'issues', operation: 'getIssue', input: { project, issueId: '1' } },
      { policy: { read: 'first-found' } },
    );
    expect(found.provider).toBe('y');
    expect((found.value as { title: string }).title).toBe('Broken link');
    await hub.close();
  });
});

describe('pinned writes', () => {
  it('puts keys under a pin on its providers even when a better one is up, and reads them there', async () => {
    const buckets = [BUCKET, 'eu-data'];
    const [a, b, c] = storageProviders(['a', 'b', 'c'], buckets);
    const hub = dataHub([a!, b!, c!], {
      routing: { policies: { storage: { write: 'pinned', pins: [{ prefix: 'eu-data/', providers: ['b'] }] } } },
    });

    const written = await hub.execute({ capability: 'storage', operation: 'putObject', input: objectInput('customer.json', 'eu-data') });
    expect(written.provider).toBe('b');
    expect(written.placement).toEqual({ policy: 'pinned', holders: ['b'], missed: [], pending: [] });
    expect(a!.calls()).toBe(0);

    const unpinned = await integrationErrorOf(hub.storage.putObject(objectInput('other.txt')));
    expect(unpinned.kind).toBe('validation');
    expect(unpinned.message).toContain('matches no pin');
    expect(a!.calls() + b!.calls('putObject') + c!.calls()).toBe(1);

    // Without a record too (forgotten), the pin says where to look.
    await hub.placements.delete('storage', 'eu-data/customer.json');
    const read = await hub.execute({ capability: 'storage', operation: 'getObject', input: { bucket: 'eu-data', key: 'customer.json' } });
    expect(read.provider).toBe('b');
    expect(a!.calls('getObject') + c!.calls('getObject')).toBe(0);
    await hub.close();
  });
});

describe('a holder whose circuit is open', () => {
  it('makes a placement read fail with circuit_open (not unsupported, not not_found) and a mirror miss say so', async () => {
    const [a, b, c] = storageProviders();
    const hub = dataHub([a!, b!, c!], { routing: { breaker: { consecutiveFailures: 1, cooldownMs: 60_000 } } });
    await hub.storage.putObject(objectInput('only-on-a.txt'));
    a!.down();
    // One failure opens a's circuit; the write moves to b.
    await hub.storage.putObject(objectInput('moved.txt'));
    expect(hub.metrics().a?.breaker.state).toBe('open');

    const read = await integrationErrorOf(hub.storage.getObject(at('only-on-a.txt')));
    expect(read.kind).toBe('circuit_open');

    const mirrored = await hub.execute(
      { capability: 'storage', operation: 'putObject', input: objectInput('mirrored.txt') },
      { policy: { write: 'mirror', quorum: 2 } },
    );
    expect(mirrored.placement?.missed).toEqual(['a']);
    const placements = collect(hub, 'placement');
    await hub.execute(
      { capability: 'storage', operation: 'putObject', input: objectInput('mirrored-2.txt') },
      { policy: { write: 'mirror', quorum: 2 } },
    );
    await eventually(() => expect(placements).toHaveLength(1));
    expect(placements[0]?.missed).toEqual([{ provider: 'a', kind: 'circuit_open' }]);

    // A repair while the circuit is open stops after one try and keeps every hint.
    const [summary] = await hub.repair('a');
    expect(summary).toMatchObject({ provider: 'a', copied: 0, failed: 1, remaining: 2 });
    await hub.close();
  });
});
