import { getEventListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IntegrationError } from '../errors/integration-error';
import { abortReasonToError, waitersOn, withDeadline, type DeadlineScope } from './deadline';
import { deadlineTimerState, resetDeadlineTimer } from './deadline-timer';

/** A task that settles only when its signal aborts, like I/O that honours the signal. */
function waitForAbort(scope: DeadlineScope): Promise<never> {
  const signal = scope.signal;
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

beforeEach(() => {
  resetDeadlineTimer();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  resetDeadlineTimer();
});

describe('withDeadline', () => {
  it('aborts the task’s signal at the deadline and rejects with a timeout error', async () => {
    vi.useFakeTimers({ now: 0 });
    let seen: AbortSignal | undefined;
    const call = withDeadline(
      (scope) => {
        seen = scope.signal;
        return waitForAbort(scope);
      },
      { deadline: 1_000, provider: 'github', operation: 'issues.list' },
    );
    const outcome = call.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(999);
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen?.aborted).toBe(true);
    const error = await outcome;
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error).toMatchObject({ kind: 'timeout', provider: 'github', operation: 'issues.list' });
    expect(seen?.reason).toBe(error);
  });

  it('rejects at the deadline even when the task ignores its signal', async () => {
    vi.useFakeTimers({ now: 0 });
    let finish: (value: string) => void = () => undefined;
    const call = withDeadline(() => new Promise<string>((resolve) => (finish = resolve)), { deadline: 50 });
    const outcome = call.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(50);
    expect(await outcome).toMatchObject({ kind: 'timeout', message: expect.stringContaining('50 ms') as unknown });
    finish('too late'); // dropped, and no unhandled rejection either
  });

  it('leaves the shared timer when the task succeeds, and never keeps the process alive', async () => {
    const result = await withDeadline(
      async () => {
        expect(deadlineTimerState()).toEqual({ pending: 1, armed: true, keepsProcessAlive: false });
        await sleep(1);
        return 'ok';
      },
      { deadline: Date.now() + 60_000 },
    );
    expect(result).toBe('ok');
    expect(deadlineTimerState().pending).toBe(0);
  });

  it('leaves the shared timer and drops its listener when the task fails', async () => {
    vi.useFakeTimers({ now: 0 });
    const parent = new AbortController();
    const failure = new IntegrationError({ kind: 'network', message: 'reset' });
    await expect(withDeadline(() => Promise.reject(failure), { deadline: 10_000, signal: parent.signal })).rejects.toBe(failure);
    expect(deadlineTimerState().pending).toBe(0);
    expect(waitersOn(parent.signal)).toBe(0);
  });

  it('gives a caller’s signal one listener, however many calls wait on it, and aborts each of them', async () => {
    const parent = new AbortController();
    const done = await Promise.all(
      Array.from({ length: 20 }, (_, index) => withDeadline(async () => Promise.resolve(index), { signal: parent.signal })),
    );
    expect(done).toHaveLength(20);
    expect(waitersOn(parent.signal)).toBe(0);
    const waiting = Array.from({ length: 20 }, () =>
      withDeadline(waitForAbort, { signal: parent.signal }).catch((error: unknown) => error),
    );
    expect(waitersOn(parent.signal)).toBe(20);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1);
    parent.abort(new Error('caller gone'));
    for (const outcome of await Promise.all(waiting)) expect(outcome).toMatchObject({ message: 'caller gone' });
    expect(waitersOn(parent.signal)).toBe(0);
  });

  it('expires exactly the calls still waiting when others in the same tick settle first, in any order', async () => {
    vi.useFakeTimers({ now: 0 });
    const settle: (() => void)[] = [];
    const calls = Array.from({ length: 6 }, () =>
      withDeadline(
        (scope) =>
          new Promise<string>((resolve, reject) => {
            settle.push(() => resolve('done'));
            scope.signal.addEventListener('abort', () => reject(scope.signal.reason as Error));
          }),
        { deadline: 100 },
      ).catch(() => 'timed out'),
    );
    for (const index of [3, 0, 5]) settle[index]!();
    await vi.advanceTimersByTimeAsync(0);
    expect(deadlineTimerState().pending).toBe(3);
    await vi.advanceTimersByTimeAsync(110);
    expect(await Promise.all(calls)).toEqual(['done', 'timed out', 'timed out', 'done', 'timed out', 'done']);
    expect(deadlineTimerState().pending).toBe(0);
  });

  it('shares one timer among every call, and expires each at its deadline, never before', async () => {
    vi.useFakeTimers({ now: 0 });
    const early = Array.from({ length: 5 }, () => withDeadline(waitForAbort, { deadline: 100, signal: new AbortController().signal }));
    const late = withDeadline(waitForAbort, { deadline: 300 });
    const outcomes = early.map((call) => call.catch(() => Date.now()));
    const lateOutcome = late.catch(() => Date.now());
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(deadlineTimerState().pending).toBe(6);
    await vi.advanceTimersByTimeAsync(10);
    for (const expiredAt of await Promise.all(outcomes)) expect(expiredAt).toBeGreaterThanOrEqual(100);
    expect(deadlineTimerState().pending).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(300);
    expect(await lateOutcome).toBeGreaterThanOrEqual(300);
    expect(deadlineTimerState()).toEqual({ pending: 0, armed: false, keepsProcessAlive: false });
  });

  it('propagates the caller’s abort to the task and rejects with its reason', async () => {
    const parent = new AbortController();
    let seen: AbortSignal | undefined;
    const call = withDeadline(
      (scope) => {
        seen = scope.signal;
        return new Promise<never>(() => undefined); // ignores the signal
      },
      { deadline: Date.now() + 60_000, signal: parent.signal },
    );
    const reason = new Error('user cancelled');
    parent.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(reason);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });

  it('turns a caller’s TimeoutError into a timeout IntegrationError', async () => {
    const parent = new AbortController();
    const call = withDeadline(waitForAbort, { signal: parent.signal, provider: 'slack' });
    parent.abort(new DOMException('The operation timed out.', 'TimeoutError'));
    await expect(call).rejects.toMatchObject({ name: 'IntegrationError', kind: 'timeout', provider: 'slack' });
  });

  it('does not start the task when the signal is already aborted or the deadline has passed', async () => {
    const task = vi.fn(() => Promise.resolve('never'));
    const reason = new Error('gone');
    await expect(withDeadline(task, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(withDeadline(task, { deadline: Date.now() - 1 })).rejects.toMatchObject({ kind: 'timeout' });
    expect(task).not.toHaveBeenCalled();
  });

  it('creates the AbortController only when the task reads the signal', async () => {
    let created = 0;
    class CountingController extends AbortController {
      constructor() {
        super();
        created += 1;
      }
    }
    vi.stubGlobal('AbortController', CountingController);
    const parent = new AbortController();
    created = 0;
    await withDeadline(() => Promise.resolve(1), { deadline: Date.now() + 1_000, signal: parent.signal });
    await withDeadline(() => Promise.resolve(2));
    expect(created).toBe(0);
    await withDeadline((scope) => Promise.resolve(scope.signal.aborted), { deadline: Date.now() + 1_000 });
    expect(created).toBe(1);
  });

  it('hands out an already-aborted signal when read after the deadline', async () => {
    vi.useFakeTimers({ now: 0 });
    let late: AbortSignal | undefined;
    const call = withDeadline(
      async (scope) => {
        await new Promise((resolve) => setTimeout(resolve, 20)); // a fake timer
        late = scope.signal;
        return 'late';
      },
      { deadline: 10 },
    );
    const outcome = call.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(20);
    expect(await outcome).toMatchObject({ kind: 'timeout' });
    expect(late?.aborted).toBe(true);
  });

  it('runs the task as it is without a deadline or a signal', async () => {
    vi.useFakeTimers({ now: 0 });
    const failure = new Error('plain');
    await expect(withDeadline(() => Promise.resolve('plain'))).resolves.toBe('plain');
    await expect(
      withDeadline(() => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('abortReasonToError', () => {
  it('keeps IntegrationErrors and cancellations, and converts TimeoutErrors', () => {
    const integration = new IntegrationError({ kind: 'auth', message: 'no' });
    const cancellation = new Error('cancel');
    expect(abortReasonToError(integration)).toBe(integration);
    expect(abortReasonToError(cancellation)).toBe(cancellation);
    expect(abortReasonToError('just a string')).toBe('just a string');
    expect(abortReasonToError(new DOMException('slow', 'TimeoutError'), { operation: 'x' })).toMatchObject({
      kind: 'timeout',
      message: 'slow',
      operation: 'x',
    });
  });
});
