import { toIntegrationError, type IntegrationError } from '../errors/integration-error';
import type { ExecuteResult } from '../router/router-options';

/** Where a fan-out stands: who answered, who failed, and when the quorum was decided. */
export interface FanOutOutcome {
  readonly succeeded: readonly { readonly provider: string; readonly result: ExecuteResult }[];
  readonly failed: readonly { readonly provider: string; readonly error: IntegrationError }[];
  /** `performance.now()` when the fan-out resolved (the quorum held, or every target finished without it). */
  readonly acknowledgedAt: number;
  /** How many providers had finished when the fan-out resolved. */
  readonly settledAtAcknowledgement: number;
}

/** What a caller of {@link fanOut} is told besides the state it resolves with. */
export interface FanOutHooks {
  /**
   * Called once, synchronously, with the state the fan-out resolves with,
   * before `onSettled` (also when both happen at once): what is recorded here
   * is in place before a provider that finishes later adds to it.
   */
  onAcknowledged?(state: FanOutOutcome): void;
  /** Called once every provider has finished, with the final state, also when that is after the fan-out resolved. */
  onSettled?(state: FanOutOutcome): void;
}

/**
 * Calls every target at once and resolves as soon as `quorum` of them
 * succeeded, with the state at that moment; the others keep running and
 * `hooks.onSettled` sees the final state. When the quorum cannot hold, it
 * resolves once every target has finished, so the outcome names every copy
 * that was made and every provider that missed it. Never rejects: failures
 * are in `failed`.
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
      if (!resolved && (succeeded.length >= quorum || settled === targets.length)) {
        resolved = true;
        acknowledgedAt = performance.now();
        settledAtAcknowledgement = settled;
        const acknowledged = snapshot();
        hooks.onAcknowledged?.(acknowledged);
        resolve(acknowledged);
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

/** A provider refused the input before any call: it can never hold the resource, so no hint is left for it. */
export function isRefusal(error: IntegrationError): boolean {
  return error.kind === 'validation' && (error.details as { refusedBy?: unknown } | undefined)?.refusedBy !== undefined;
}
