/**
 * When syncs run by themselves. The sync service hands the scheduler its run
 * function once (`start`), then schedules and unschedules integrations. The
 * in-process {@link createTimerScheduler} suits one process; several
 * processes sharing a PostgreSQL store use pg-boss
 * (`createPgBossSyncScheduler` of `@switchyard/store-postgres`), so each
 * scheduled run happens once across them.
 */
export interface SyncScheduler {
  /** Begins calling `run(integrationId)` for scheduled integrations. */
  start(run: (integrationId: string) => Promise<void>): Promise<void>;
  /** Runs the integration every `intervalMs` (replacing an earlier schedule of it). */
  schedule(integrationId: string, intervalMs: number): Promise<void>;
  unschedule(integrationId: string): Promise<void>;
  /** Stops scheduling; runs in progress are the caller's to wait for. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A {@link SyncScheduler} on timers in this process: each integration's next
 * run is timed from the end of the previous one, so runs of one integration
 * never overlap here (the store's lease keeps other processes out).
 */
export function createTimerScheduler(): SyncScheduler {
  const timers = new Map<string, NodeJS.Timeout>();
  let run: ((integrationId: string) => Promise<void>) | undefined;
  let stopped = false;

  const arm = (integrationId: string, intervalMs: number): void => {
    const timer = setTimeout(() => {
      void (run?.(integrationId) ?? Promise.resolve()).finally(() => {
        // Re-arm only while this schedule is still the current one.
        if (!stopped && timers.get(integrationId) === timer) arm(integrationId, intervalMs);
      });
    }, intervalMs);
    timer.unref();
    timers.set(integrationId, timer);
  };

  return {
    start(runner) {
      run = runner;
      stopped = false;
      return Promise.resolve();
    },
    schedule(integrationId, intervalMs) {
      clearTimeout(timers.get(integrationId));
      arm(integrationId, intervalMs);
      return Promise.resolve();
    },
    unschedule(integrationId) {
      clearTimeout(timers.get(integrationId));
      timers.delete(integrationId);
      return Promise.resolve();
    },
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      return Promise.resolve();
    },
  };
}
