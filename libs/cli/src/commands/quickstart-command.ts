import { createHub, IntegrationError, VERSION, type ProviderV1 } from '@switchyard/core';
import { createIntegrationsService } from '@switchyard/platform';
import type { Command } from '../cli-command';
import { createDemoProviders, DEMO_BUCKET, openCliStore } from '../cli-environment';
import { writeLine } from '../cli-io';
import { discoverProviderPackages } from '../provider-discovery';

/** A provider that can be switched off: while down, every call fails with a network error. */
function withOutage(provider: ProviderV1): { provider: ProviderV1; setDown(down: boolean): void } {
  let down = false;
  return {
    provider: {
      ...provider,
      execute: (request, context) =>
        down
          ? Promise.reject(new IntegrationError({ kind: 'network', message: 'connect ECONNREFUSED (simulated outage)' }))
          : provider.execute(request, context),
    },
    setDown(value) {
      down = value;
    },
  };
}

/**
 * `switchyard quickstart`: the embedded-default demo. A hub over two
 * in-memory storage providers, a put routed to the preferred one, an outage
 * the router fails over around, the router's explanation and metrics, the
 * tools an AI agent would see, and integrations for both providers recorded
 * (with their connection tests and health scores) in the store.
 */
export const quickstartCommand: Command = async ({ io }) => {
  const say = (line = ''): void => writeLine(io.stdout, line);
  say(`Switchyard quickstart: @switchyard/core ${VERSION} on Node.js ${process.version}`);
  say('A hub over two embedded (in-memory) storage providers; no external service.\n');

  const [primaryProvider, backupProvider] = await createDemoProviders();
  const primary = withOutage(primaryProvider as ProviderV1);
  const backup = withOutage(backupProvider as ProviderV1);
  const hub = createHub({
    providers: [primary.provider, backup.provider],
    // A demo of failover, not of speed: latency must not reorder the two providers on a busy machine.
    routing: {
      providers: { 'memory-primary': { weight: 2 } },
      weights: { latency: 0 },
      breaker: { consecutiveFailures: 3 },
      retry: { retries: 0 },
    },
    events: {
      failover: (event) => say(`  event failover: ${event.from} -> ${event.to ?? '(none)'} after ${event.error.kind}`),
      breaker: (event) => say(`  event breaker: ${event.provider} ${event.from} -> ${event.to} (${event.reason})`),
    },
  });
  const { store, description } = await openCliStore(io);
  try {
    const put = (key: string) =>
      hub.execute({
        capability: 'storage',
        operation: 'putObject',
        input: { bucket: DEMO_BUCKET, key, body: 'revenue,42\n', contentType: 'text/csv' },
      });

    say('1. putObject with both providers up:');
    say(`  served by ${(await put('2026/q3.csv')).provider}`);

    say('\n2. memory-primary goes down; five more puts:');
    primary.setDown(true);
    for (let index = 1; index <= 5; index += 1) {
      const result = await put(`2026/q3-${index}.csv`);
      say(`  put #${index} served by ${result.provider} after ${result.failedAttempts.length} failed attempt(s)`);
    }

    say('\n3. how the router would route storage.getObject now (hub.explain):');
    for (const candidate of hub.explain({ capability: 'storage', operation: 'getObject' }).candidates) {
      const score = candidate.score === undefined ? '' : ` score ${candidate.score.toFixed(3)}`;
      say(
        `  ${candidate.provider}: ${candidate.eligible ? `rank ${candidate.rank}` : `skipped (${candidate.reason})`}${score}, breaker ${candidate.breaker}`,
      );
    }

    say('\n4. reading back through the typed facade, from wherever it is:');
    const object = await hub.storage.getObject({ bucket: DEMO_BUCKET, key: '2026/q3-5.csv' });
    say(`  ${object.key}: ${object.size} bytes, ${object.contentType}, body ${JSON.stringify(object.body)}`);

    say('\n5. bad input fails before any provider is called:');
    try {
      await hub.storage.putObject({ bucket: 'Not A Bucket', key: '', body: '' });
    } catch (error) {
      if (!IntegrationError.isInstance(error)) throw error;
      say(`  ${error.kind}: ${error.message}`);
    }

    say('\n6. metrics (hub.metrics):');
    for (const [provider, metrics] of Object.entries(hub.metrics())) {
      say(
        `  ${provider}: ${metrics.calls} calls, ${metrics.failures} failures, success rate ${metrics.successRate.toFixed(2)}, breaker ${metrics.breaker.state}`,
      );
    }

    const tools = hub.tools.list();
    say(
      `\n7. ${tools.length} tools for AI agents, e.g. ${tools
        .slice(0, 3)
        .map((tool) => tool.name)
        .join(', ')}`,
    );

    say(`\n8. integrations recorded in the store (${description}), primary back up:`);
    primary.setDown(false);
    const service = createIntegrationsService({ store, hub });
    for (const providerId of ['memory-primary', 'memory-backup']) {
      const [existing] = await service.getIntegrations({ providerId });
      const integration =
        existing ?? (await service.createIntegration({ providerId, name: `Quickstart ${providerId}`, settings: { bucket: DEMO_BUCKET } }));
      let outcome: string;
      try {
        outcome = (await service.connect(integration.id)).status;
      } catch (error) {
        if (!IntegrationError.isInstance(error)) throw error;
        outcome = `${(await service.getIntegrationById(integration.id)).status} (${error.kind}: its breaker has not closed yet)`;
      }
      const health = await service.checkHealth(integration.id);
      say(`  ${integration.name} (${integration.id}): ${outcome}, health ${health.score}/100 (${health.grade})`);
    }
    const recorded = await store.events.listRecent({ limit: 1000 });
    say(`  ${recorded.length} event(s) in the store's log; list the integrations with: switchyard integrations list`);

    const packages = discoverProviderPackages(io.cwd, io.cliDirectory).map((found) => `${found.packageName}@${found.version}`);
    say(
      `\nProvider packages installed: ${packages.length === 0 ? 'none yet (npm run new-provider -- --name acme --category communication)' : packages.join(', ')}`,
    );
    return 0;
  } finally {
    await hub.close();
    await store.close();
  }
};
