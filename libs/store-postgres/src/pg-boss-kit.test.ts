import { afterEach, describe, expect, it, vi } from 'vitest';
import { followingSlot, nextSlot } from './pg-boss-kit';

afterEach(() => {
  vi.useRealTimers();
});

describe('followingSlot', () => {
  const intervalMs = 3_000;

  it('queues the next slot after one that ran on time', () => {
    vi.useFakeTimers({ now: 100 * intervalMs + 10 });
    expect(followingSlot(intervalMs, 100, 60_000)).toBe(101);
    expect(followingSlot(intervalMs, 100, 0)).toBe(101);
  });

  it('catches up the slots that fell due while a late occurrence waited, within catchUpMs', () => {
    // Slot 100 ran 10 s late (its worker died and the job waited for the heartbeat): 101, 102 and 103 are due already.
    vi.useFakeTimers({ now: 100 * intervalMs + 10_000 });
    expect(nextSlot(intervalMs)).toBe(104);
    expect(followingSlot(intervalMs, 100, 60_000)).toBe(101);
    expect(followingSlot(intervalMs, 101, 60_000)).toBe(102);
    // Skipped when catching up is off, or the gap is longer than catchUpMs.
    expect(followingSlot(intervalMs, 100, 0)).toBe(104);
    expect(followingSlot(intervalMs, 100, 2 * intervalMs)).toBe(104);
    expect(followingSlot(intervalMs, 100, 3 * intervalMs)).toBe(101);
  });
});
