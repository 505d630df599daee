import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { errorReport, IntegrationError, type ExecuteOptions, type Hub, type ToolDefinition } from '@switchyard/core';
import { callToolArguments, describeTool, META_TOOLS, searchTools } from './mcp-meta-tools';
import { errorResult, META_PREFIX, routingOptions, successResult, toMcpTool, type ToolErrorReport } from './mcp-tools';
import { VERSION } from './version';

/** Options of {@link createMcpServer} (and of `startMcpHttpServer`, which passes them on). */
export interface McpServerOptions {
  /**
   * `'all'` (default): every routed and provider operation is a tool.
   * `'meta'`: only `search_tools`, `describe_tool` and `call_tool`, so an
   * agent's context holds three tools however many the hub has.
   */
  readonly tools?: 'all' | 'meta';
  /**
   * Ask the client to confirm (MCP elicitation) before running a tool whose
   * annotations say `destructiveHint`; refuse with an error result when the
   * client cannot ask or the user does not accept. Default false.
   */
  readonly confirmDestructive?: boolean;
  /** The name the server gives in `initialize`. Default `'switchyard'`. */
  readonly name?: string;
}

/** A Switchyard MCP server: the SDK's `Server` with Switchyard's tools, and a way to say they changed. */
export interface SwitchyardMcpServer {
  /** The SDK's low-level server; connect it to any transport. */
  readonly server: Server;
  /** Connects to a transport (stdio, Streamable HTTP, in-memory). */
  connect(transport: Transport): Promise<void>;
  /**
   * Sends `notifications/tools/list_changed`; does nothing before a client
   * connected. The server sends it by itself when the hub's providers or
   * contracts change (the hub's `registry` event); call this when the tools
   * changed some other way.
   */
  toolsChanged(): Promise<void>;
  /** Closes the connection (the hub stays open: it is the caller's). */
  close(): Promise<void>;
}

const INSTRUCTIONS = `Switchyard: every tool runs through a router that fails over between providers.
Optional routing arguments go in the request's _meta, not in the tool's arguments:
"${META_PREFIX}prefer" / "${META_PREFIX}only" / "${META_PREFIX}exclude" (provider ids), "${META_PREFIX}timeoutMs" (ms budget),
"${META_PREFIX}deadline" (epoch ms), "${META_PREFIX}idempotencyKey". Errors are results with isError: true naming the kind,
whether retrying may help (isRetryable) and the providers attempted.`;

class NotConfirmed extends Error {}

/**
 * An MCP server over a hub's tools (`hub.tools`), built on the SDK's
 * low-level `Server` so the JSON Schemas pass through as core builds them.
 * A provider failure, bad arguments or an unknown tool is a tool result with
 * `isError: true`, as the SDK's own `McpServer` answers, never a JSON-RPC
 * error. One server serves one connection; `startMcpHttpServer` makes one
 * per session.
 *
 * @example
 * ```ts
 * const mcp = createMcpServer(hub, { tools: 'meta', confirmDestructive: true });
 * await mcp.connect(new StdioServerTransport());
 * ```
 */
export function createMcpServer(hub: Hub, options: McpServerOptions = {}): SwitchyardMcpServer {
  const mode = options.tools ?? 'all';
  const server = new Server(
    { name: options.name ?? 'switchyard', version: VERSION },
    { capabilities: { tools: { listChanged: true } }, instructions: INSTRUCTIONS },
  );

  async function confirm(tool: ToolDefinition, signal: AbortSignal): Promise<void> {
    if (options.confirmDestructive !== true || !tool.annotations.destructiveHint) return;
    if (server.getClientCapabilities()?.elicitation === undefined) {
      throw new NotConfirmed(
        `${tool.name} is destructive and needs the user's confirmation, but this client cannot ask for it (no elicitation capability).`,
      );
    }
    const answer = await server.elicitInput(
      {
        mode: 'form',
        message: `Allow ${tool.name}? It changes or deletes data: ${tool.description}`,
        requestedSchema: {
          type: 'object',
          properties: { confirm: { type: 'boolean', title: `Run ${tool.name}`, description: 'Tick to run the operation.' } },
          required: ['confirm'],
        },
      },
      { signal },
    );
    if (answer.action !== 'accept' || answer.content?.confirm !== true) {
      throw new NotConfirmed(
        `The user did not confirm ${tool.name} (${answer.action === 'accept' ? 'not ticked' : answer.action}); it was not run.`,
      );
    }
  }

  async function run(tool: ToolDefinition, args: unknown, executeOptions: ExecuteOptions): Promise<CallToolResult> {
    const { target } = tool;
    if (target.kind === 'capability') {
      const result = await hub.execute({ capability: target.capability, operation: target.operation, input: args }, executeOptions);
      return successResult(tool, result.value, {
        [`${META_PREFIX}provider`]: result.provider,
        [`${META_PREFIX}failedAttempts`]: result.failedAttempts.map(({ provider, attempt, kind, message }) => ({
          provider,
          attempt,
          kind,
          message,
        })),
      });
    }
    const value = await hub.callProviderOperation(target.provider, target.operation, args, executeOptions);
    return successResult(tool, value, { [`${META_PREFIX}provider`]: target.provider });
  }

  function failure(error: unknown, structured: boolean): CallToolResult {
    const report: ToolErrorReport =
      error instanceof NotConfirmed
        ? { kind: 'not_confirmed', message: error.message, isRetryable: false, attempts: [] }
        : errorReport(error);
    return errorResult(report, { structured });
  }

  async function callOne(name: string, args: unknown, meta: Record<string, unknown> | undefined, signal: AbortSignal, viaMeta: boolean) {
    const tool = hub.tools.get(name);
    try {
      if (tool === undefined) throw new IntegrationError({ kind: 'unsupported', message: `No tool named "${name}"`, operation: name });
      const executeOptions = routingOptions(meta, signal);
      await confirm(tool, signal);
      return await run(tool, args, executeOptions);
    } catch (error) {
      // Through call_tool no output schema applies, so the report can be structuredContent too.
      return failure(error, viaMeta || tool === undefined);
    }
  }

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: mode === 'meta' ? [...META_TOOLS] : hub.tools.list().map((tool): Tool => toMcpTool(tool)),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name, arguments: args, _meta: meta } = request.params;
    if (mode === 'all') return callOne(name, args ?? {}, meta, extra.signal, false);
    try {
      switch (name) {
        case 'search_tools': {
          const found = searchTools(hub.tools.list(), args);
          return { content: [{ type: 'text', text: JSON.stringify(found) }], structuredContent: found };
        }
        case 'describe_tool': {
          const described = describeTool((toolName) => hub.tools.get(toolName), args);
          return { content: [{ type: 'text', text: JSON.stringify(described) }], structuredContent: described };
        }
        case 'call_tool': {
          const call = callToolArguments(args);
          return await callOne(call.name, call.arguments, meta, extra.signal, true);
        }
        default:
          throw new IntegrationError({
            kind: 'unsupported',
            message: `No tool named "${name}" (this server exposes search_tools, describe_tool and call_tool)`,
          });
      }
    } catch (error) {
      return failure(error, true);
    }
  });

  async function toolsChanged(): Promise<void> {
    if (server.transport !== undefined && server.getClientCapabilities() !== undefined) await server.sendToolListChanged();
  }

  // In 'all' mode the tool list is the hub's: say when it changes, once for a burst of registrations.
  let notifying: NodeJS.Immediate | undefined;
  const stopFollowing =
    mode === 'all'
      ? hub.events.on('registry', () => {
          notifying ??= setImmediate(() => {
            notifying = undefined;
            toolsChanged().catch(() => undefined);
          }).unref();
        })
      : undefined;
  server.onclose = () => {
    stopFollowing?.();
    if (notifying !== undefined) clearImmediate(notifying);
  };

  return {
    server,
    connect: (transport) => server.connect(transport),
    toolsChanged,
    close: () => server.close(),
  };
}
