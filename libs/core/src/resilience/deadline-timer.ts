/**
 * One shared timer for every deadline in the process, instead of a
 * `setTimeout` per call (arming and clearing one costs ~0.5 µs here, most of
 * a fast call's budget). Deadlines are grouped into 5 ms ticks; the timer is
 * armed for the earliest tick that has a deadline and never fires early, at
 * most 5 ms late. Calls that settle in time only leave their tick's set.
 *
 * Like undici's own timers, the shared timer is unref'd: it never keeps the
 * process alive by itself (the I/O a call waits on does that).
 */

/** Something that can run out of time. */
export interface Expirable {
  expire(): void;
  /** Its index in its tick's list while it waits there; kept by this module. */
  deadlineSlot: number;
}

const TICK_MS = 5;
const ticks = new Map<number, Expirable[]>();
let timer: ReturnType<typeof setTimeout> | undefined;
let armedTick = Number.POSITIVE_INFINITY;

/** Registers `target` to expire at `deadline` (epoch ms by `Date.now`); returns the handle {@link cancelDeadline} takes. */
export function scheduleDeadline(target: Expirable, deadline: number): number {
  const tick = Math.ceil(deadline / TICK_MS);
  let targets = ticks.get(tick);
  if (targets === undefined) {
    targets = [];
    ticks.set(tick, targets);
  }
  target.deadlineSlot = targets.length;
  targets.push(target);
  if (tick < armedTick) arm(tick);
  return tick;
}

/**
 * Removes `target` registered under `tick`; cheap, and never touches the
 * timer. An emptied tick stays until the timer passes it, so calls in the
 * same 5 ms reuse its list instead of building a new one each time.
 */
export function cancelDeadline(target: Expirable, tick: number): void {
  const targets = ticks.get(tick);
  const slot = target.deadlineSlot;
  if (targets === undefined || targets[slot] !== target) return;
  const last = targets.pop()!;
  if (last !== target) {
    targets[slot] = last;
    last.deadlineSlot = slot;
  }
}

function arm(tick: number): void {
  if (timer !== undefined) clearTimeout(timer);
  armedTick = tick;
  timer = setTimeout(fire, Math.max(0, tick * TICK_MS - Date.now()));
  timer.unref();
}

function fire(): void {
  timer = undefined;
  armedTick = Number.POSITIVE_INFINITY;
  const nowTick = Date.now() / TICK_MS;
  let next = Number.POSITIVE_INFINITY;
  const due: Expirable[] = [];
  for (const [tick, targets] of ticks) {
    if (tick <= nowTick || targets.length === 0) {
      ticks.delete(tick);
      for (const target of targets) due.push(target);
    } else if (tick < next) {
      next = tick;
    }
  }
  if (next !== Number.POSITIVE_INFINITY) arm(next);
  for (const target of due) target.expire();
}

/** Forgets every deadline and the timer: for tests that switch between fake and real timers. */
export function resetDeadlineTimer(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  armedTick = Number.POSITIVE_INFINITY;
  ticks.clear();
}

/** How many deadlines are registered, and whether the shared timer is armed: for tests. */
export function deadlineTimerState(): { readonly pending: number; readonly armed: boolean; readonly keepsProcessAlive: boolean } {
  // Counts registered deadlines only: emptied ticks waiting for the timer hold none.
  let pending = 0;
  for (const targets of ticks.values()) pending += targets.length;
  return { pending, armed: timer !== undefined, keepsProcessAlive: timer?.hasRef() ?? false };
}
