import { describe, expect, it } from 'vitest';
import { storageV1 } from '../capabilities/storage';
import { createMemoryFunctionsProvider } from '../testing/memory-functions-provider';
import { createMemoryIssuesProvider } from '../testing/memory-issues-provider';
import { createMemoryMessagingProvider } from '../testing/memory-messaging-provider';
import { integrationErrorOf } from '../testing/integration-error-of';
import { effectivePolicy, pinFor } from './policy';
import { BUCKET, dataHub, objectInput, storageProviders, switchable } from './test-fixtures';

const putObject = (input = objectInput('x.txt')) => ({ capability: 'storage', operation: 'putObject', input });

describe('the policy in force', () => {
  it('is shown by explain: systems of record do not fail over, storage records placements, messages are stateless', () => {
    const hub = dataHub([
      createMemoryIssuesProvider({ id: 'tracker' }),
      createMemoryMessagingProvider({ id: 'chat' }),
      ...storageProviders(['a']),
    ]);

    const issues = hub.explain({ capability: 'issues', operation: 'createIssue' }).policy;
    expect(issues).toMatchObject({ stateful: true, access: 'write', write: 'primary-only', read: 'primary-only' });
    expect(issues.sources).toContain('contract');
    expect(hub.explain({ capability: 'issues', operation: 'createIssue' }, { policy: { write: 'primary' } }).policy).toMatchObject({
      write: 'primary',
      sources: ['default', 'contract', 'call'],
    });

    expect(hub.explain({ capability: 'messaging', operation: 'sendMessage' }).policy).toMatchObject({ stateful: false, access: undefined });
    expect(hub.explain({ capability: 'storage', operation: 'getObject' }).policy).toMatchObject({
      stateful: true,
      access: 'read',
      write: 'primary',
      read: 'placement',
    });
  });

  it('layers the hub over the contract and the call over the hub, field by field', () => {
    const hub = dataHub(storageProviders(), { routing: { policies: { storage: { write: 'mirror', quorum: 3 } } } });
    const policy = hub.explain({ capability: 'storage', operation: 'putObject' }, { policy: { quorum: 2 } }).policy;
    expect(policy).toMatchObject({ write: 'mirror', read: 'placement', quorum: 2, sources: ['default', 'contract', 'hub', 'call'] });
  });

  it('reads first-found where the contract names no keys to look a placement up by', () => {
    const listed = effectivePolicy(storageV1, storageV1.operations.listObjects, 'storage.listObjects', undefined, undefined);
    expect(listed).toMatchObject({ stateful: true, access: 'list', read: 'first-found' });
    expect(effectivePolicy(storageV1, storageV1.operations.getObject, 'storage.getObject', undefined, undefined).read).toBe('placement');
  });
});

describe('invalid policies', () => {
  it('fail with validation before any provider is called', async () => {
    const providers = storageProviders();
    const hub = dataHub(providers);
    const mirror = (quorum: number) => ({ policy: { write: 'mirror' as const, quorum } });

    for (const quorum of [0, 1.5, -1]) {
      const error = await integrationErrorOf(hub.execute(putObject(), mirror(quorum)));
      expect(error.kind).toBe('validation');
      expect(error.message).toContain(`policy.quorum must be a whole number >= 1, got ${quorum}`);
    }
    const tooMany = await integrationErrorOf(hub.execute(putObject(), mirror(4)));
    expect(tooMany.kind).toBe('validation');
    expect(tooMany.message).toContain('a mirror quorum of 4 needs at least that many providers, but only 3 can take it (a, b, c)');
    const tooFewAllowed = await integrationErrorOf(hub.execute(putObject(), { ...mirror(2), only: ['b'] }));
    expect(tooFewAllowed.message).toContain('only 1 can take it (b)');

    const noPins = await integrationErrorOf(hub.execute(putObject(), { policy: { write: 'pinned' } }));
    expect(noPins.message).toContain('storage.putObject cannot be pinned: policy.pins is empty');
    const emptyPin = await integrationErrorOf(
      hub.execute(putObject(), { policy: { write: 'pinned', pins: [{ prefix: 'x', providers: [] }] } }),
    );
    expect(emptyPin.message).toContain('every pin needs a prefix and at least one provider');

    expect(providers.map((provider) => provider.calls())).toEqual([0, 0, 0]);
    await hub.close();
  });

  it('name the operation that cannot be mirrored, and why', async () => {
    const tracker = switchable(createMemoryIssuesProvider({ id: 'tracker' }));
    const functions = switchable(createMemoryFunctionsProvider({ id: 'lambda' }));
    const hub = dataHub([tracker, functions]);

    const issues = await integrationErrorOf(
      hub.execute(
        { capability: 'issues', operation: 'createIssue', input: { project: 'acme/website', title: 'T' } },
        { policy: { write: 'mirror' } },
      ),
    );
    expect(issues.kind).toBe('validation');
    expect(issues.message).toContain('issues.createIssue cannot be mirrored: its contract names no resource keys');

    const deploy = await integrationErrorOf(
      hub.execute(
        { capability: 'functions', operation: 'deployFunction', input: { name: 'resize', zipBase64: 'UEsFBgAAAAA=' } },
        { policy: { write: 'mirror' } },
      ),
    );
    expect(deploy.kind).toBe('validation');
    expect(deploy.message).toContain('functions.deployFunction cannot be mirrored: the functions contract defines no replication');
    expect(() => hub.explain({ capability: 'functions', operation: 'deployFunction' }, { policy: { write: 'mirror' } })).toThrow(
      /cannot be mirrored/,
    );

    expect(tracker.calls() + functions.calls()).toBe(0);
    await hub.close();
  });

  it('apply to writes only: a read under a mirror policy for issues is not refused', async () => {
    const tracker = switchable(createMemoryIssuesProvider({ id: 'tracker' }));
    const hub = dataHub([tracker], { routing: { policies: { issues: { write: 'mirror' } } } });
    const read = await integrationErrorOf(hub.issues.getIssue({ project: 'acme/website', issueId: '404' }));
    expect(read.kind).toBe('not_found');
    expect(tracker.calls('getIssue')).toBe(1);
    await hub.close();
  });
});

describe('pinFor', () => {
  const pins = [
    { prefix: 'eu-', providers: ['b'] },
    { prefix: 'eu-data/', providers: ['c'] },
    { prefix: `${BUCKET}/private/`, providers: ['a'] },
  ];

  it('picks the longest prefix a key starts with, and none when no prefix matches', () => {
    expect(pinFor(pins, 'eu-data/customer.json')?.providers).toEqual(['c']);
    expect(pinFor(pins, 'eu-logs/today.txt')?.providers).toEqual(['b']);
    expect(pinFor(pins, `${BUCKET}/private/key.pem`)?.providers).toEqual(['a']);
    expect(pinFor(pins, `${BUCKET}/public/index.html`)).toBeUndefined();
    expect(pinFor([], 'anything')).toBeUndefined();
  });
});
