import { describe, expect, it } from 'vitest';
import { integrationErrorOf } from '../testing/integration-error-of';
import { BUCKET, collect, dataHub, eventually, objectInput, storageProviders } from './test-fixtures';

const MIRROR_2_OF_3 = { routing: { policies: { storage: { write: 'mirror' as const, quorum: 2 } } } };
const resourceKey = (key: string) => `${BUCKET}/${key}`;

describe('mirrored writes', () => {
  it('write to every provider and record all of them once they settled', async () => {
    const [a, b, c] = storageProviders();
    const hub = dataHub([a!, b!, c!], MIRROR_2_OF_3);
    const placements = collect(hub, 'placement');

    for (let index = 0; index < 20; index += 1) {
      const result = await hub.execute({ capability: 'storage', operation: 'putObject', input: objectInput(`all-${index}.txt`) });
      expect(result.placement!.policy).toBe('mirror');
      expect(result.placement!.missed).toEqual([]);
      expect([...result.placement!.holders, ...result.placement!.pending].sort()).toEqual(['a', 'b', 'c']);
    }

    await eventually(() => expect(placements).toHaveLength(20));
    for (let index = 0; index < 20; index += 1) {
      const record = await hub.placements.get('storage', resourceKey(`all-${index}.txt`));
      expect(record?.holders.map((holder) => holder.provider).sort()).toEqual(['a', 'b', 'c']);
    }
    expect([a!.calls('putObject'), b!.calls('putObject'), c!.calls('putObject')]).toEqual([20, 20, 20]);
    expect(await hub.placements.countHints()).toBe(0);
    await hub.close();
  });

  it('fails when the quorum cannot hold, keeps the copy made, and leaves hints for the providers that missed it', async () => {
    const [a, b, c] = storageProviders();
    const hub = dataHub([a!, b!, c!], MIRROR_2_OF_3);
    b!.down();
    c!.down();

    const error = await integrationErrorOf(hub.storage.putObject(objectInput('lonely.txt')));

    expect(error.kind).toBe('network');
    expect(error.message).toContain('reached 1 of the 2 providers it needs');
    const read = await hub.execute({ capability: 'storage', operation: 'getObject', input: { bucket: BUCKET, key: 'lonely.txt' } });
    expect(read.provider).toBe('a');
    expect(await hub.placements.hints('b', 10)).toEqual([expect.objectContaining({ key: resourceKey('lonely.txt'), action: 'copy' })]);
    expect(await hub.placements.hints('c', 10)).toEqual([expect.objectContaining({ key: resourceKey('lonely.txt'), action: 'copy' })]);
    await hub.close();
  });

  it('is acknowledged once the quorum holds, while the slowest provider is still writing', async () => {
    const [a, b, c] = storageProviders();
    const hub = dataHub([a!, b!, c!], MIRROR_2_OF_3);
    const placements = collect(hub, 'placement');
    const release = c!.hold();

    const result = await hub.execute({ capability: 'storage', operation: 'putObject', input: objectInput('slow.txt') });

    expect(result.placement).toEqual({ policy: 'mirror', holders: expect.any(Array) as unknown, missed: [], pending: ['c'] });
    expect([...result.placement!.holders].sort()).toEqual(['a', 'b']);
    expect(c!.calls('putObject')).toBe(1);
    expect(placements).toEqual([]);
    const acknowledged = await hub.placements.get('storage', resourceKey('slow.txt'));
    expect(acknowledged?.holders.map((holder) => holder.provider).sort()).toEqual(['a', 'b']);

    release();
    await eventually(() => expect(placements).toHaveLength(1));
    const settled = await hub.placements.get('storage', resourceKey('slow.txt'));
    expect(settled?.holders.map((holder) => holder.provider).sort()).toEqual(['a', 'b', 'c']);
    expect(settled?.holders.every((holder) => typeof holder.version === 'string' && holder.version.length > 0)).toBe(true);
    expect(placements[0]).toMatchObject({ capability: 'storage', operation: 'putObject', policy: 'mirror', missed: [] });
    expect([...placements[0]!.holders].sort()).toEqual(['a', 'b', 'c']);
    expect(placements[0]!.settledMs).toBeGreaterThanOrEqual(placements[0]!.acknowledgedMs);
    expect(await hub.placements.countHints()).toBe(0);
    await hub.close();
  });

  it('records a slow provider that failed after the acknowledgement as missed, with a hint', async () => {
    const [a, b, c] = storageProviders();
    const hub = dataHub([a!, b!, c!], MIRROR_2_OF_3);
    const placements = collect(hub, 'placement');
    const release = c!.hold();
    c!.down();

    const result = await hub.execute({ capability: 'storage', operation: 'putObject', input: objectInput('late.txt') });
    expect(result.placement!.pending).toEqual(['c']);
    expect(await hub.placements.countHints('c')).toBe(0);

    release();
    await eventually(() => expect(placements).toHaveLength(1));
    expect(placements[0]!.missed).toEqual([{ provider: 'c', kind: 'network' }]);
    expect(await hub.placements.hints('c', 10)).toEqual([expect.objectContaining({ key: resourceKey('late.txt'), action: 'copy' })]);
    await hub.close();
  });
});

describe('mirrored writes of one key that overlap', () => {
  it('repair the later write on a provider that missed both, however late the earlier one failed', async () => {
    const [a, b, c] = storageProviders();
    const hub = dataHub([a!, b!, c!], { routing: { ...MIRROR_2_OF_3.routing, repair: { automatic: false } } });
    const placements = collect(hub, 'placement');
    const releaseFirst = c!.hold();
    await hub.storage.putObject({ ...objectInput('shared.txt'), body: 'first' });
    const releaseSecond = c!.hold();
    await hub.storage.putObject({ ...objectInput('shared.txt'), body: 'second' });
    c!.down();

    releaseSecond();
    await eventually(() => expect(placements).toHaveLength(1));
    releaseFirst();
    await eventually(() => expect(placements).toHaveLength(2));
    expect(placements.map((event) => event.missed)).toEqual([[{ provider: 'c', kind: 'network' }], [{ provider: 'c', kind: 'network' }]]);

    c!.up();
    expect(await hub.repair('c')).toEqual([{ provider: 'c', copied: 1, deleted: 0, skipped: 0, failed: 0, remaining: 0 }]);
    expect(await hub.storage.getObject({ bucket: BUCKET, key: 'shared.txt' }, { only: ['c'] })).toMatchObject({ body: 'second' });
    await hub.close();
  });
});
