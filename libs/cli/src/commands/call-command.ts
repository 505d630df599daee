import { IntegrationError, type AttemptRecord, type RouteExplanation } from '@switchyard/core';
import type { Command } from '../cli-command';
import { createStorePlacements } from '@switchyard/platform';
import { createCliHub, openCliStore } from '../cli-environment';
import { CliUsageError, formatMs, parseJsonObject, writeJson, writeLine, writeTable, type CliOutput } from '../cli-io';

function parseTarget(target: string | undefined): { capability: string; operation: string } {
  const match = /^([a-z][a-z0-9-]*)\.([A-Za-z][A-Za-z0-9]*)$/.exec(target ?? '');
  if (match === null)
    throw new CliUsageError({ message: `call: expected <capability>.<operation>, e.g. storage.putObject; got "${target ?? ''}"` });
  return { capability: match[1] as string, operation: match[2] as string };
}

function ranking(explanation: RouteExplanation) {
  return explanation.candidates.map((candidate) => ({
    provider: candidate.provider,
    eligible: candidate.eligible,
    rank: candidate.rank,
    preferred: candidate.preferred,
    score: candidate.score,
    breaker: candidate.breaker,
    reason: candidate.reason,
  }));
}

function writeRouting(output: CliOutput, explanation: RouteExplanation): void {
  writeLine(output, `Routing ${explanation.capability}.${explanation.operation} (strategy ${explanation.strategy}):`);
  const { policy } = explanation;
  if (policy.stateful) {
    const rule = policy.access === 'read' || policy.access === 'list' ? `read ${policy.read}` : `write ${policy.write}`;
    writeLine(output, `Policy: ${rule}`);
  }
  writeTable(
    output,
    ['RANK', 'PROVIDER', 'SCORE', 'BREAKER', 'NOTE'],
    explanation.candidates.map((candidate) => [
      candidate.rank === undefined ? '-' : String(candidate.rank),
      candidate.provider,
      candidate.score === undefined ? '-' : candidate.score.toFixed(3),
      candidate.breaker,
      candidate.eligible ? (candidate.preferred ? 'preferred' : '') : `skipped: ${candidate.reason ?? ''}`,
    ]),
  );
}

function writeAttempts(output: CliOutput, attempts: readonly AttemptRecord[]): void {
  if (attempts.length === 0) return;
  writeLine(output, 'Failed attempts:');
  for (const attempt of attempts) {
    writeLine(output, `  ${attempt.provider} #${attempt.attempt}: ${attempt.kind}: ${attempt.message} (${formatMs(attempt.durationMs)})`);
  }
}

/**
 * `switchyard call <capability>.<operation> --input JSON [--prefer id] [--json] [--demo]`:
 * routes one call through a hub over the installed providers and prints the
 * routing decision (policy, ranking, failed attempts, the provider that
 * served) and the result. Where stateful writes went is kept in the CLI's
 * store, so a later `call` reads from there.
 */
export const callCommand: Command = async ({ io, flags, arguments: positionals, providers }) => {
  const { capability, operation } = parseTarget(positionals[0]);
  const input = parseJsonObject('input', flags.input);
  const { store } = await openCliStore(io);
  const hub = await createCliHub(io, { demo: flags.demo, providers, hub: { placements: createStorePlacements(store) } });
  try {
    if (hub.registry.list().length === 0) {
      throw new IntegrationError({ kind: 'not_found', message: 'no providers installed (try --demo for the in-memory storage providers)' });
    }
    const explanation = hub.explain({ capability, operation, input }, { prefer: flags.prefer });
    if (!flags.json) writeRouting(io.stdout, explanation);
    try {
      const result = await hub.execute({ capability, operation, input }, { prefer: flags.prefer });
      if (flags.json) {
        writeJson(io.stdout, {
          ranking: ranking(explanation),
          provider: result.provider,
          failedAttempts: result.failedAttempts,
          result: result.value,
        });
      } else {
        writeAttempts(io.stdout, result.failedAttempts);
        writeLine(io.stdout, `Served by ${result.provider}`);
        writeLine(io.stdout, 'Result:');
        writeJson(io.stdout, result.value);
      }
      return 0;
    } catch (error) {
      if (IntegrationError.isInstance(error)) {
        if (flags.json) writeJson(io.stdout, { ranking: ranking(explanation), error: error.toJSON() });
        else writeAttempts(io.stdout, error.attempts);
      }
      throw error;
    }
  } finally {
    await hub.close();
    await store.close();
  }
};
