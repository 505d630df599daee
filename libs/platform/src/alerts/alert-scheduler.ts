/**
 * When alert checks run. The in-process {@link createTimerAlertChecks} suits
 * one process; several processes sharing a PostgreSQL store use pg-boss
 * (`createPgBossAlertChecks` of `@switchyard/store-postgres`), so each check
 * runs once across them, one at a time.
 */
export interface AlertCheckScheduler {
  /**
   * Whether processes share the checks: alerts then read the open alerts
   * back from the event log before each check, since another process may
   * have raised or resolved some.
   */
  readonly shared: boolean;
  /** Calls `check` every `intervalMs` from now on. */
  start(check: () => Promise<void>, intervalMs: number): Promise<void>;
  /** Stops calling; a check in progress finishes. Safe to call twice. */
  stop(): Promise<void>;
}

/** An {@link AlertCheckScheduler} on a timer in this process. */
export function createTimerAlertChecks(): AlertCheckScheduler {
  let timer: NodeJS.Timeout | undefined;
  return {
    shared: false,
    start(check, intervalMs) {
      clearInterval(timer);
      timer = setInterval(() => void check(), intervalMs);
      timer.unref();
      return Promise.resolve();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      return Promise.resolve();
    },
  };
}
