import { IntegrationError, toIntegrationError } from '../errors/integration-error';
import type { OperationEntry } from '../router/router';
import type { ExecuteResult } from '../router/router-options';
import type { DataRouterDependencies } from './data-router';
import { fanOut, isRefusal, type FanOutOutcome } from './fan-out';

/** One mirrored write: the resource, where it goes, how many must hold it, and the call to one provider. */
export interface MirroredWrite {
  readonly entry: OperationEntry;
  readonly key: string;
  readonly targets: readonly string[];
  readonly quorum: number;
  readonly writeId: string;
  /** The write on one provider, through the router. */
  readonly writeTo: (provider: string) => Promise<ExecuteResult>;
}

/**
 * Writes to every target at once and answers when `quorum` of them hold the
 * write. The record is stored the moment the quorum holds and completed as
 * the others finish (only while no later write replaced it); each provider
 * that missed the write, except one that refused the input, gets a repair
 * hint. When the quorum cannot hold, it waits for every target, records the
 * copies made (they are repaired to the others) and throws the last failure's
 * kind. A `placement` event reports the write once every target finished.
 */
export async function writeMirrored(
  dependencies: Pick<DataRouterDependencies, 'placements' | 'events' | 'logger' | 'contract'>,
  write: MirroredWrite,
): Promise<ExecuteResult> {
  const { entry, key, targets, quorum, writeId } = write;
  const startedAt = performance.now();
  const { placements, events } = dependencies;
  const replication = dependencies.contract(entry.capability)?.replication;
  const versionOf = (value: unknown): string | undefined => replication?.versionOf?.(value);
  let persisted: Promise<unknown> = Promise.resolve();
  let acknowledgementRecorded: Promise<unknown> = persisted;
  const persist = (state: FanOutOutcome, conditional: boolean): Promise<unknown> => {
    persisted = persisted.then(async () => {
      const now = Date.now();
      if (state.succeeded.length > 0) {
        const stored = await placements.put(
          {
            capability: entry.capability,
            key,
            holders: state.succeeded.map((success) => ({ provider: success.provider, version: versionOf(success.result.value) })),
            writeId,
            deleted: false,
            updatedAt: now,
          },
          conditional ? writeId : undefined,
        );
        // A later write or delete replaced this one: its own record and hints say what is missing, and a hint of this
        // write would replace the later one's for the same provider.
        if (!stored) return;
      }
      for (const miss of state.failed) {
        if (isRefusal(miss.error)) continue;
        await placements.addHint({ capability: entry.capability, key, provider: miss.provider, action: 'copy', writeId, createdAt: now });
      }
    });
    return persisted;
  };
  const acknowledged = await fanOut(targets, quorum, write.writeTo, {
    // Recorded the moment the quorum holds, so the providers that finish later only ever add to this record.
    onAcknowledged: (state) => {
      acknowledgementRecorded = persist(state, false);
    },
    onSettled: (state) => {
      // When the last providers finished after the caller had its answer, the record and hints catch up; then the event.
      const catchUp = state.settledAtAcknowledgement === targets.length ? persisted : persist(state, true);
      catchUp
        .then(() => {
          if (!events.hasListeners('placement')) return;
          events.emit('placement', {
            capability: entry.capability,
            operation: entry.operation,
            policy: 'mirror',
            holders: state.succeeded.map((success) => success.provider),
            missed: state.failed.map((miss) => ({ provider: miss.provider, kind: miss.error.kind })),
            acknowledgedMs: state.acknowledgedAt - startedAt,
            settledMs: performance.now() - startedAt,
          });
        })
        .catch((error: unknown) =>
          dependencies.logger.error(
            { operation: entry.key, error: toIntegrationError(error).message },
            'recording a mirrored write failed',
          ),
        );
    },
  });
  await acknowledgementRecorded;
  const holders = acknowledged.succeeded.map((success) => success.provider);
  const missed = acknowledged.failed.map((miss) => miss.provider);
  const pending = targets.filter((id) => !holders.includes(id) && !missed.includes(id));
  if (holders.length < quorum) {
    const last = acknowledged.failed.at(-1)?.error;
    throw new IntegrationError({
      kind: last?.kind ?? 'provider',
      message: `${entry.key}: the mirrored write reached ${holders.length} of the ${quorum} providers it needs (${acknowledged.failed
        .map((miss) => `${miss.provider}: ${miss.error.kind}`)
        .join(', ')}); the copies made are kept and repaired to the others later`,
      operation: entry.key,
      provider: last?.provider,
      attempts: acknowledged.failed.flatMap((miss) => miss.error.attempts),
      cause: last,
    });
  }
  const first = acknowledged.succeeded[0]!.result;
  return {
    value: first.value,
    provider: first.provider,
    failedAttempts: [
      ...acknowledged.succeeded.flatMap((success) => success.result.failedAttempts),
      ...acknowledged.failed.flatMap((miss) => miss.error.attempts),
    ],
    placement: { policy: 'mirror', holders, missed, pending },
  };
}
