import { IntegrationError } from '@switchyard/core';
import { createIntegrationsService, type IntegrationRecord, type JsonObject } from '@switchyard/platform';
import type { Command, CommandContext } from '../cli-command';
import { createCliHub, openCliStore } from '../cli-environment';
import { CliUsageError, formatMs, parseJsonObject, writeJson, writeLine, writeTable } from '../cli-io';

const SUBCOMMANDS = 'add <providerId> --name N [--settings JSON], list, test <id>, remove <id>';

function requiredArgument(context: CommandContext, index: number, what: string): string {
  const value = context.arguments[index];
  if (value === undefined || value === '') throw new CliUsageError({ message: `integrations ${context.arguments[0]}: missing ${what}` });
  return value;
}

function writeIntegrations(context: CommandContext, integrations: readonly IntegrationRecord[]): void {
  if (context.flags.json) {
    writeJson(context.io.stdout, integrations);
    return;
  }
  if (integrations.length === 0) {
    writeLine(context.io.stdout, 'No integrations yet (switchyard integrations add <providerId> --name N).');
    return;
  }
  writeTable(
    context.io.stdout,
    ['ID', 'NAME', 'PROVIDER', 'STATUS', 'CREATED'],
    integrations.map((integration) => [
      integration.id,
      integration.name,
      integration.providerId,
      integration.status,
      integration.createdAt,
    ]),
  );
}

/**
 * `switchyard integrations add|list|test|remove`: integrations in the store.
 * `add` creates one and connects it (status `active`, or `error` with exit 1
 * when its connection test fails); `test` runs a connection test and exits 1
 * when it fails.
 */
export const integrationsCommand: Command = async (context) => {
  const { io, flags } = context;
  const subcommand = context.arguments[0];
  if (subcommand === undefined) throw new CliUsageError({ message: `integrations: missing subcommand (${SUBCOMMANDS})` });
  if (!['add', 'list', 'test', 'remove'].includes(subcommand)) {
    throw new CliUsageError({ message: `integrations: unknown subcommand "${subcommand}" (${SUBCOMMANDS})` });
  }
  const { store } = await openCliStore(io);
  const hub = await createCliHub(io, { demo: flags.demo, providers: context.providers });
  const service = createIntegrationsService({ store, hub });
  try {
    switch (subcommand) {
      case 'list':
        writeIntegrations(context, await service.getIntegrations());
        return 0;
      case 'add': {
        const providerId = requiredArgument(context, 1, '<providerId>');
        if (flags.name === undefined) throw new CliUsageError({ message: 'integrations add: missing --name' });
        const settings = parseJsonObject('settings', flags.settings) as JsonObject;
        const created = await service.createIntegration({ providerId, name: flags.name, settings });
        try {
          writeIntegrations(context, [await service.connect(created.id)]);
          return 0;
        } catch (error) {
          writeIntegrations(context, [await service.getIntegrationById(created.id)]);
          throw error;
        }
      }
      case 'test': {
        const result = await service.testConnection(requiredArgument(context, 1, '<id>'));
        if (flags.json) writeJson(io.stdout, result);
        else {
          const outcome = result.healthy ? 'passed' : `failed: ${result.error?.kind ?? 'provider'}: ${result.error?.message ?? ''}`;
          writeLine(
            io.stdout,
            `${result.integrationId} (${result.providerId}): connection test ${outcome} in ${formatMs(result.durationMs)}`,
          );
        }
        if (!result.healthy) {
          throw new IntegrationError({
            kind: result.error?.kind ?? 'provider',
            message: `connection test of ${result.integrationId} failed`,
            provider: result.providerId,
          });
        }
        return 0;
      }
      default: {
        const id = requiredArgument(context, 1, '<id>');
        await service.deleteIntegration(id);
        if (flags.json) writeJson(io.stdout, { removed: id });
        else writeLine(io.stdout, `removed ${id}`);
        return 0;
      }
    }
  } finally {
    await hub.close();
    await store.close();
  }
};
