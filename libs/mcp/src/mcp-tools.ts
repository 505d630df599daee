import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { IntegrationError, type ErrorReport, type ExecuteOptions, type ToolDefinition } from '@switchyard/core';

/** The `_meta` key prefix of Switchyard's per-call routing arguments and result details. */
export const META_PREFIX = 'switchyard/';

/**
 * MCP wants `structuredContent` to be an object; an operation whose output is
 * not one (a list, a string) is returned as `{ result: value }`, and its
 * output schema says so.
 */
function isObjectSchema(schema: Record<string, unknown>): boolean {
  return schema.type === 'object';
}

/** The tool as MCP's `tools/list` shows it: JSON Schemas passed through as core built them. */
export function toMcpTool(tool: ToolDefinition): Tool {
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema as Tool['inputSchema'],
    outputSchema: (isObjectSchema(tool.outputSchema)
      ? tool.outputSchema
      : {
          type: 'object',
          description: 'The operation returns a value that is not an object; it is wrapped as `result`.',
          properties: { result: tool.outputSchema },
          required: ['result'],
          additionalProperties: false,
        }) as Tool['outputSchema'],
    annotations: { ...tool.annotations },
  };
}

/** The operation's output as a tool result: `structuredContent` and the same JSON as text. */
export function successResult(tool: ToolDefinition, value: unknown, meta?: Record<string, unknown>): CallToolResult {
  const structured = isObjectSchema(tool.outputSchema) && isRecord(value) ? value : { result: value };
  return {
    content: [{ type: 'text', text: JSON.stringify(structured) }],
    structuredContent: structured,
    ...(meta === undefined ? {} : { _meta: meta }),
  };
}

/** What an error result says, as JSON: core's {@link ErrorReport}, or `not_confirmed` when a destructive tool was refused for want of the user's confirmation. */
export type ToolErrorReport = Omit<ErrorReport, 'kind'> & { readonly kind: ErrorReport['kind'] | 'not_confirmed' };

/**
 * A failed call as a tool result (`isError: true`), never a protocol error.
 * The report is the text (as JSON) and `_meta['switchyard/error']`; it is
 * also `structuredContent` when the tool declares no output schema (clients
 * check `structuredContent` against the output schema even on errors).
 */
export function errorResult(report: ToolErrorReport, options: { readonly structured: boolean }): CallToolResult {
  const body = { error: report };
  return {
    isError: true,
    content: [{ type: 'text', text: JSON.stringify(body) }],
    ...(options.structured ? { structuredContent: body } : {}),
    _meta: { [`${META_PREFIX}error`]: report },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(meta: Record<string, unknown>, key: string): readonly string[] | undefined {
  const value = meta[`${META_PREFIX}${key}`];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new IntegrationError({ kind: 'validation', message: `_meta["${META_PREFIX}${key}"] must be a provider id or a list of them` });
}

function positiveNumber(meta: Record<string, unknown>, key: string): number | undefined {
  const value = meta[`${META_PREFIX}${key}`];
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw new IntegrationError({ kind: 'validation', message: `_meta["${META_PREFIX}${key}"] must be a positive number of milliseconds` });
}

/**
 * Per-call routing arguments from a request's `_meta`, kept apart from the
 * operation's arguments: `switchyard/prefer`, `switchyard/only`,
 * `switchyard/exclude` (provider ids), `switchyard/timeoutMs` (a budget in ms
 * from now), `switchyard/deadline` (epoch ms) and `switchyard/idempotencyKey`.
 * Unknown keys are ignored; malformed ones throw a `validation` error.
 */
export function routingOptions(meta: Record<string, unknown> | undefined, signal: AbortSignal): ExecuteOptions {
  if (meta === undefined) return { signal };
  const idempotencyKey = meta[`${META_PREFIX}idempotencyKey`];
  if (idempotencyKey !== undefined && typeof idempotencyKey !== 'string') {
    throw new IntegrationError({ kind: 'validation', message: `_meta["${META_PREFIX}idempotencyKey"] must be a string` });
  }
  const options: Record<string, unknown> = {
    signal,
    prefer: stringList(meta, 'prefer'),
    only: stringList(meta, 'only'),
    exclude: stringList(meta, 'exclude'),
    timeoutMs: positiveNumber(meta, 'timeoutMs'),
    deadline: positiveNumber(meta, 'deadline'),
    idempotencyKey,
  };
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
