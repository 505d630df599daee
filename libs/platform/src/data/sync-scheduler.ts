/**
 * When syncs run by themselves. The sync service hands the scheduler its run
 * function once (`start`), then schedules and unschedules integrations. The
 * in-process {@link createTimerScheduler} suits one process; several
 * processes sharing a PostgreSQL store use pg-boss
 * (`createPgBossSyncScheduler` of `@switchyard/store-postgres`), so each
 * scheduled run happens once across them.
 */
export interface SyncScheduler {
  /** Begins running scheduled integrations through `handlers`. */
  start(handlers: SyncScheduleHandlers): Promise<void>;
  /** Runs the integration every `intervalMs` (replacing an earlier schedule of it). */
  schedule(integrationId: string, intervalMs: number): Promise<void>;
  unschedule(integrationId: string): Promise<void>;
  /** Stops scheduling; runs in progress are the caller's to wait for. Safe to call twice. */
  stop(): Promise<void>;
}

/** What a {@link SyncScheduler} calls. */
export interface SyncScheduleHandlers {
  /**
   * Runs one scheduled sync of the integration; resolves when it is over:
   * `busy` when another run held the integration (a scheduler that can, runs
   * the occurrence again a little later), `done` otherwise, failed runs
   * included (they are logged and in the event log, and the next run resumes
   * them). `occurrence` names the scheduled occurrence (e.g. its slot),
   * recorded in the run's events.
   */
  run(integrationId: string, occurrence?: string): Promise<'done' | 'busy'>;
  /**
   * The integration's interval now, or `undefined` when it is no longer to
   * run by itself (deleted, inactive, `autoSync` off): a schedule that
   * outlives this process (pg-boss) asks before each run and stops there.
   */
  intervalOf(integrationId: string): Promise<number | undefined>;
}

/**
 * A {@link SyncScheduler} on timers in this process: each integration's next
 * run is timed from the end of the previous one, so runs of one integration
 * never overlap here (the store's lease keeps other processes out).
 */
export function createTimerScheduler(): SyncScheduler {
  const timers = new Map<string, NodeJS.Timeout>();
  let handlers: SyncScheduleHandlers | undefined;
  let stopped = false;

  const arm = (integrationId: string, intervalMs: number): void => {
    const timer = setTimeout(() => {
      void (async () => {
        await handlers?.run(integrationId);
        // The settings may have changed meanwhile (here or in another process): ask before the next run.
        const next = await handlers?.intervalOf(integrationId).catch(() => intervalMs);
        // Re-arm only while this schedule is still the current one.
        if (stopped || timers.get(integrationId) !== timer) return;
        if (next === undefined) timers.delete(integrationId);
        else arm(integrationId, next);
      })();
    }, intervalMs);
    timer.unref();
    timers.set(integrationId, timer);
  };

  return {
    start(given) {
      handlers = given;
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
