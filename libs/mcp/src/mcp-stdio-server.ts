import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Hub } from '@switchyard/core';
import { createMcpServer, type McpServerOptions, type SwitchyardMcpServer } from './mcp-server';

/** Options of {@link startMcpStdioServer}. */
export interface McpStdioServerOptions extends McpServerOptions {
  /** The hub whose tools are served; closing the server leaves it open. */
  readonly hub: Hub;
  /** Where requests come from. Default `process.stdin`. */
  readonly stdin?: Readable;
  /** Where only protocol messages go (log elsewhere). Default `process.stdout`. */
  readonly stdout?: Writable;
}

/** An MCP server on stdio. */
export interface McpStdioServer {
  /** The server, e.g. for `toolsChanged()`. */
  readonly mcp: SwitchyardMcpServer;
  /** Resolves when the client hangs up (stdin ends) or {@link McpStdioServer.close} was called. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves a hub's tools over stdio with the SDK's `StdioServerTransport`, as
 * MCP clients that spawn a command expect. Nothing else may write to stdout.
 *
 * @example
 * ```ts
 * const server = await startMcpStdioServer({ hub });
 * await server.closed;
 * ```
 */
export async function startMcpStdioServer(options: McpStdioServerOptions): Promise<McpStdioServer> {
  const { hub, stdin = process.stdin, stdout = process.stdout, ...serverOptions } = options;
  const mcp = createMcpServer(hub, serverOptions);
  const transport = new StdioServerTransport(stdin, stdout);
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  const hangUp = (): void => {
    void mcp.close().finally(markClosed);
  };
  stdin.once('end', hangUp);
  stdin.once('close', hangUp);
  transport.onclose = markClosed;
  await mcp.connect(transport);
  return {
    mcp,
    closed,
    async close() {
      stdin.off('end', hangUp);
      stdin.off('close', hangUp);
      await mcp.close();
      markClosed();
    },
  };
}
