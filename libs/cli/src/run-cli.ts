import { parseArgs } from 'node:util';
import { IntegrationError, type ProviderV1 } from '@switchyard/core';
import type { CliFlags, Command } from './cli-command';
import { CliUsageError, writeLine, type CliIo } from './cli-io';
import { callCommand } from './commands/call-command';
import { healthCommand } from './commands/health-command';
import { integrationsCommand } from './commands/integrations-command';
import { keysCommand } from './commands/keys-command';
import { mcpCommand } from './commands/mcp-command';
import { serveCommand } from './commands/serve-command';
import { syncCommand, type SyncCommandFlags } from './commands/sync-command';
import { providersCommand } from './commands/providers-command';
import { quickstartCommand } from './commands/quickstart-command';
import { workerCommand } from './commands/worker-command';
import { VERSION } from './version';

/** Usage text, printed by `switchyard --help` and after a usage error. */
export const USAGE = `switchyard ${VERSION}: one typed, resilient interface to external services.

Usage:
  switchyard providers [--json]
  switchyard integrations add <providerId> --name N [--settings JSON] [--demo] [--json]
  switchyard integrations list [--json]
  switchyard integrations test <id> [--demo] [--json]
  switchyard integrations remove <id> [--json]
  switchyard call <capability>.<operation> --input JSON [--prefer id]... [--demo] [--json]
  switchyard health [--demo] [--json]
  switchyard mcp [--meta] [--confirm-destructive] [--demo]  (MCP server on stdio)
  switchyard mcp --http [--port N] [--token T]... [...]    (MCP over Streamable HTTP on 127.0.0.1;
                                                              tokens also from SWITCHYARD_MCP_TOKENS, comma-separated)
      --meta: only search_tools, describe_tool and call_tool; --confirm-destructive: ask before destructive tools
  switchyard serve [--port 8080] [--host 127.0.0.1] [--demo]  (the HTTP API and dashboard until SIGINT/SIGTERM;
                                                              webhook secrets from SWITCHYARD_WEBHOOK_SECRET_<PROVIDER>)
  switchyard keys create --name N --scope read|execute|admin... [--workspace W] [--expires-in 30d] [--json]
  switchyard keys list [--workspace W] [--json]
  switchyard keys rotate <id> [--grace 1d] [--expires-in 30d] [--json]
  switchyard keys revoke <id> [--json]                        (API keys for mcp --http and the server; stored hashed)
  switchyard worker [--url amqp://...] [--demo]              (AMQP command worker until SIGINT/SIGTERM;
                                                              URL also from SWITCHYARD_AMQP_URL, default amqp://127.0.0.1:5672)
  switchyard sync <integration> [--full] [--wait <seconds>] [--json]  (records into the store; exit 3 when busy)
  switchyard quickstart

Storage: SQLite at ./.switchyard/switchyard.db, or PostgreSQL when SWITCHYARD_DATABASE_URL is set
(schema SWITCHYARD_DATABASE_SCHEMA, default switchyard).
Providers: installed packages with a "switchyard" key in their package.json; --demo adds
two in-memory storage providers (memory-primary, memory-backup).
Exit codes: 0 success, 1 failure, 2 usage or validation error.`;

const COMMANDS: Readonly<Record<string, Command>> = {
  providers: providersCommand,
  integrations: integrationsCommand,
  call: callCommand,
  health: healthCommand,
  keys: keysCommand,
  serve: serveCommand,
  mcp: mcpCommand,
  worker: workerCommand,
  quickstart: quickstartCommand,
  sync: syncCommand,
};

/** Options of {@link runCli}; every field defaults to the running process's. */
export interface RunCliOptions extends Partial<CliIo> {
  /** Providers to register besides the discovered ones (hosts embedding the CLI, tests). Default none. */
  readonly providers?: readonly ProviderV1[] | undefined;
}

function parseCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        demo: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
        name: { type: 'string' },
        settings: { type: 'string' },
        input: { type: 'string' },
        prefer: { type: 'string', multiple: true },
        http: { type: 'boolean', default: false },
        port: { type: 'string' },
        host: { type: 'string' },
        token: { type: 'string', multiple: true },
        meta: { type: 'boolean', default: false },
        'confirm-destructive': { type: 'boolean', default: false },
        url: { type: 'string' },
        scope: { type: 'string', multiple: true },
        workspace: { type: 'string' },
        'expires-in': { type: 'string' },
        grace: { type: 'string' },
        full: { type: 'boolean', default: false },
        wait: { type: 'string' },
      },
    });
  } catch (error) {
    throw new CliUsageError({ message: (error as Error).message, cause: error });
  }
}

/**
 * Runs the `switchyard` command line in-process and resolves with its exit
 * code: 0 on success, 1 on failure, 2 on a usage or validation error. Errors
 * print as `error [kind]: message` on stderr.
 *
 * @example
 * ```ts
 * const code = await runCli(['integrations', 'list', '--json'], { cwd: '/tmp/app' });
 * ```
 */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<number> {
  const io: CliIo = {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    cliDirectory: options.cliDirectory,
  };
  try {
    const { values, positionals } = parseCommandLine(argv);
    if (values.version) {
      writeLine(io.stdout, VERSION);
      return 0;
    }
    const [name, ...rest] = positionals;
    if (values.help || name === undefined || name === 'help') {
      writeLine(io.stdout, USAGE);
      return name === undefined && !values.help ? 2 : 0;
    }
    const command = COMMANDS[name];
    if (command === undefined) throw new CliUsageError({ message: `unknown command "${name}" (${Object.keys(COMMANDS).join(', ')})` });
    const flags: CliFlags & SyncCommandFlags = {
      json: values.json,
      demo: values.demo,
      name: values.name,
      settings: values.settings,
      input: values.input,
      prefer: values.prefer ?? [],
      http: values.http,
      port: values.port,
      host: values.host,
      token: values.token ?? [],
      meta: values.meta,
      confirmDestructive: values['confirm-destructive'],
      url: values.url,
      scope: values.scope ?? [],
      workspace: values.workspace,
      expiresIn: values['expires-in'],
      grace: values.grace,
      full: values.full,
      wait: values.wait,
    };
    return await command({ io, arguments: rest, flags, providers: options.providers ?? [] });
  } catch (error) {
    return reportError(io, error);
  }
}

function reportError(io: CliIo, error: unknown): number {
  if (error instanceof CliUsageError) {
    writeLine(io.stderr, `error [usage]: ${error.message}`);
    writeLine(io.stderr, 'Run "switchyard --help" for usage.');
    return 2;
  }
  if (IntegrationError.isInstance(error)) {
    writeLine(io.stderr, `error [${error.kind}]: ${error.message}`);
    return error.kind === 'validation' ? 2 : 1;
  }
  writeLine(io.stderr, `error [internal]: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}
