import { startMcpHttpServer, startMcpStdioServer } from '@switchyard/mcp';
import { createApiKeys, createStorePlacements } from '@switchyard/platform';
import type { Command } from '../cli-command';
import { createCliHub, openCliStore } from '../cli-environment';
import { CliUsageError, writeLine } from '../cli-io';
import { stopSignal } from '../stop-signal';

/** The environment variable with the bearer tokens `switchyard mcp --http` accepts, comma-separated. */
export const MCP_TOKENS_VARIABLE = 'SWITCHYARD_MCP_TOKENS';

function parsePort(port: string | undefined): number {
  if (port === undefined) return 0;
  const value = Number(port);
  if (!/^\d+$/.test(port) || value > 65_535)
    throw new CliUsageError({ message: `mcp: --port must be a number from 0 to 65535; got "${port}"` });
  return value;
}

function describeTools(count: number, meta: boolean): string {
  return meta ? `${count} tools behind search_tools, describe_tool and call_tool` : `${count} tools`;
}

/**
 * `switchyard mcp [--meta] [--confirm-destructive] [--demo]`: an MCP server on stdio (nothing but protocol on
 * stdout; messages on stderr) until stdin closes.
 * `switchyard mcp --http [--port N] [--token T]...`: MCP Streamable HTTP on
 * 127.0.0.1 until SIGINT/SIGTERM; tokens also from `SWITCHYARD_MCP_TOKENS`
 * (comma-separated) and API keys with the `execute` scope from the store
 * (`switchyard keys create`); without any the loopback endpoint is open to
 * every local caller. Either way every routed and provider operation of the CLI's
 * hub is a tool, writes recorded in the CLI's store as `call` does; with
 * `--meta` the agent sees three meta-tools instead, and with
 * `--confirm-destructive` a destructive tool runs only after the client's
 * user confirmed it.
 */
export const mcpCommand: Command = async ({ io, flags, providers }) => {
  const port = parsePort(flags.port);
  if (!flags.http && (flags.port !== undefined || flags.token.length > 0)) {
    throw new CliUsageError({ message: 'mcp: --port and --token need --http' });
  }
  const toolOptions = { tools: flags.meta ? ('meta' as const) : ('all' as const), confirmDestructive: flags.confirmDestructive };
  const { store } = await openCliStore(io);
  const hub = await createCliHub(io, { demo: flags.demo, providers, hub: { placements: createStorePlacements(store) } });
  try {
    if (flags.http) {
      const tokens = [
        ...flags.token,
        ...(io.env[MCP_TOKENS_VARIABLE] ?? '')
          .split(',')
          .map((token) => token.trim())
          .filter((token) => token !== ''),
      ];
      // API keys with the execute scope (switchyard keys create) work once the store holds any; until then, tokens only.
      const keys = createApiKeys(store);
      const useKeys = (await store.apiKeys.list()).length > 0;
      const server = await startMcpHttpServer({
        hub,
        port,
        tokens,
        ...(useKeys ? { verifyKey: (key: string) => keys.verify(key, 'execute') } : {}),
        ...toolOptions,
      });
      writeLine(
        io.stderr,
        `Switchyard MCP server (Streamable HTTP) on ${server.url}, ${describeTools(hub.tools.list().length, flags.meta)}`,
      );
      if (tokens.length === 0 && !useKeys) {
        writeLine(
          io.stderr,
          `warning: no bearer token (--token, ${MCP_TOKENS_VARIABLE} or an API key from switchyard keys create): any local process may call it`,
        );
      }
      await stopSignal();
      await server.close();
    } else {
      const server = await startMcpStdioServer({ hub, ...toolOptions });
      writeLine(io.stderr, `Switchyard MCP server on stdio, ${describeTools(hub.tools.list().length, flags.meta)}`);
      await stopSignal(server.closed);
      await server.close();
    }
    return 0;
  } finally {
    await hub.close();
    await store.close();
  }
};
