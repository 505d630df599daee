import { createIntegrationsService, type IntegrationHealthReport } from '@switchyard/platform';
import type { Command } from '../cli-command';
import { createCliHub, openCliStore } from '../cli-environment';
import { formatMs, writeJson, writeLine, writeTable } from '../cli-io';

/**
 * `switchyard health [--json] [--demo]`: runs every provider's health check,
 * then scores each stored integration 0..100 (error rate, latency, time since
 * last success). Exits 1 when a provider's check fails.
 */
export const healthCommand: Command = async ({ io, flags, providers }) => {
  const { store } = await openCliStore(io);
  const hub = await createCliHub(io, { demo: flags.demo, providers });
  try {
    const service = createIntegrationsService({ store, hub });
    const checks = await hub.health();
    const scores: IntegrationHealthReport[] = [];
    for (const integration of await service.getIntegrations()) scores.push(await service.checkHealth(integration.id));
    const failing = checks.filter((check) => !check.healthy).length;
    if (flags.json) {
      writeJson(io.stdout, { providers: checks, integrations: scores });
      return failing === 0 ? 0 : 1;
    }
    if (checks.length === 0) writeLine(io.stdout, 'No providers installed (try --demo).');
    else {
      writeTable(
        io.stdout,
        ['PROVIDER', 'HEALTHY', 'CHECKED', 'DURATION', 'BREAKER', 'ERROR'],
        checks.map((check) => [
          check.provider,
          check.healthy ? 'yes' : 'no',
          check.checked ? 'yes' : 'no',
          formatMs(check.durationMs),
          check.breaker,
          check.error === undefined ? '' : `${check.error.kind}: ${check.error.message}`,
        ]),
      );
    }
    writeLine(io.stdout);
    if (scores.length === 0) writeLine(io.stdout, 'No integrations to score.');
    else {
      writeTable(
        io.stdout,
        ['INTEGRATION', 'PROVIDER', 'SCORE', 'GRADE', 'SUCCESS', 'LATENCY', 'RECENCY'],
        scores.map((score) => [
          score.integrationId,
          score.providerId,
          String(score.score),
          score.grade,
          score.terms.success.toFixed(2),
          score.terms.latency.toFixed(2),
          score.terms.recency.toFixed(2),
        ]),
      );
    }
    return failing === 0 ? 0 : 1;
  } finally {
    await hub.close();
    await store.close();
  }
};
