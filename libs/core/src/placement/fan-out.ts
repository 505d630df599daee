import { toIntegrationError, type IntegrationError } from '../errors/integration-error';
import type { ExecuteResult } from '../router/router-options';

/** Where a fan-out stands: who answered, who failed, and when the quorum was decided. */
export interface FanOutOutcome {
  readonly succeeded: readonly { readonly provider: string; readonly result: ExecuteResult }[];
  readonly failed: readonly { readonly provider: string; readonly error: IntegrationError }[];
  /** `performance.now()` when the fan-out resolved (the quorum held or could no longer hold). */
  readonly acknowledgedAt: number;
  /** How many providers had finished when the fan-out resolved. */
  readonly settledAtAcknowledgement: number;
}

/** Called once every provider has finished, with the final state, also when that is after the fan-out resolved. */
export interface FanOutHooks {
  onSettled?(state: FanOutOutcome): void;
}

/**
 * Calls every target at once and resolves as soon as `quorum` of them
 * succeeded, or as soon as too many failed for the quorum to hold, with the
 * state at that moment. The others keep running; `hooks.onSettled` sees the
 * final state. Never rejects: failures are in `failed`.
 */
export function fanOut(
  targets: readonly string[],
  quorum: number,
  call: (provider: string) => Promise<ExecuteResult>,
  hooks: FanOutHooks = {},
): Promise<FanOutOutcome> {
  const succeeded: { provider: string; result: ExecuteResult }[] = [];
  const failed: { provider: string; error: IntegrationError }[] = [];
  let acknowledgedAt = 0;
  let settledAtAcknowledgement = 0;
  const snapshot = (): FanOutOutcome => ({ succeeded: [...succeeded], failed: [...failed], acknowledgedAt, settledAtAcknowledgement });
  return new Promise((resolve) => {
    let resolved = false;
    const check = (): void => {
      const settled = succeeded.length + failed.length;
      if (!resolved && (succeeded.length >= quorum || failed.length > targets.length - quorum || settled === targets.length)) {
        resolved = true;
        acknowledgedAt = performance.now();
        settledAtAcknowledgement = settled;
        resolve(snapshot());
      }
      if (settled === targets.length) hooks.onSettled?.(snapshot());
    };
    if (targets.length === 0) check();
    for (const provider of targets) {
      call(provider).then(
        (result) => {
          succeeded.push({ provider, result });
          check();
        },
        (caught: unknown) => {
          failed.push({ provider, error: toIntegrationError(caught, { provider }) });
          check();
        },
      );
    }
  });
}
