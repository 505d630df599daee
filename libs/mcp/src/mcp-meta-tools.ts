import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { IntegrationError, type ToolDefinition } from '@switchyard/core';
import { toMcpTool } from './mcp-tools';

/** The names of the meta-tools that `tools: 'meta'` exposes instead of every operation. */
export const META_TOOL_NAMES = ['search_tools', 'describe_tool', 'call_tool'] as const;

const DEFAULT_SEARCH_LIMIT = 20;
const MAX_SEARCH_LIMIT = 100;

const annotationsSchema = {
  type: 'object',
  properties: {
    readOnlyHint: { type: 'boolean' },
    destructiveHint: { type: 'boolean' },
    idempotentHint: { type: 'boolean' },
    openWorldHint: { type: 'boolean' },
  },
};

/** The three meta-tools as `tools/list` shows them. */
export const META_TOOLS: readonly Tool[] = [
  {
    name: 'search_tools',
    description:
      'Finds Switchyard tools by words in their name or description, optionally only those of one capability (e.g. "storage") or provider. Returns names, descriptions and annotations; use describe_tool for the schemas.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'Words to look for; every tool matches when left out.' },
        capability: { type: 'string', description: 'Only routed tools of this capability, or tools of this provider id.' },
        limit: {
          type: 'integer',
          minimum: 1,
          maximum: MAX_SEARCH_LIMIT,
          description: `How many to return; default ${DEFAULT_SEARCH_LIMIT}.`,
        },
      },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        tools: {
          type: 'array',
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, description: { type: 'string' }, annotations: annotationsSchema },
            required: ['name', 'description', 'annotations'],
          },
        },
        total: { type: 'integer', description: 'How many tools matched before the limit.' },
      },
      required: ['tools', 'total'],
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  },
  {
    name: 'describe_tool',
    description: 'The full definition of one Switchyard tool: description, input and output JSON Schemas, annotations.',
    inputSchema: {
      type: 'object',
      properties: { name: { type: 'string', description: 'The tool name, as search_tools returned it.' } },
      required: ['name'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        description: { type: 'string' },
        inputSchema: { type: 'object' },
        outputSchema: { type: 'object' },
        annotations: annotationsSchema,
      },
      required: ['name', 'description', 'inputSchema', 'outputSchema', 'annotations'],
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  },
  {
    name: 'call_tool',
    description:
      "Runs one Switchyard tool with routing and failover; its result is the tool's own. Routing arguments go in this request's _meta, as for a direct call.",
    inputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'The tool to run.' },
        arguments: { type: 'object', description: "The tool's arguments, as describe_tool's inputSchema says." },
      },
      required: ['name'],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  },
];

function invalid(message: string): IntegrationError {
  return new IntegrationError({ kind: 'validation', message });
}

function argumentsObject(args: unknown, allowed: readonly string[]): Record<string, unknown> {
  const record = (args ?? {}) as Record<string, unknown>;
  if (typeof record !== 'object' || Array.isArray(record)) throw invalid('Arguments must be an object');
  const unknown = Object.keys(record).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw invalid(`Unknown arguments: ${unknown.join(', ')}`);
  return record;
}

function optionalString(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  if (value === undefined || typeof value === 'string') return value;
  throw invalid(`${key}: expected a string`);
}

function toolScope(tool: ToolDefinition): string {
  return tool.target.kind === 'capability' ? tool.target.capability : tool.target.provider;
}

/** `search_tools`: ranks by words found in the name (counted twice) and description. */
export function searchTools(tools: readonly ToolDefinition[], args: unknown): Record<string, unknown> {
  const record = argumentsObject(args, ['query', 'capability', 'limit']);
  const query = optionalString(record, 'query');
  const capability = optionalString(record, 'capability');
  const limit = record.limit ?? DEFAULT_SEARCH_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
    throw invalid(`limit: expected a whole number from 1 to ${MAX_SEARCH_LIMIT}`);
  }
  const words = (query ?? '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
  const scored = tools
    .filter((tool) => capability === undefined || toolScope(tool) === capability)
    .map((tool) => {
      const name = tool.name.toLowerCase().replaceAll('_', ' ');
      const description = tool.description.toLowerCase();
      const score = words.reduce((total, word) => total + (name.includes(word) ? 2 : 0) + (description.includes(word) ? 1 : 0), 0);
      return { tool, score };
    })
    .filter(({ score }) => words.length === 0 || score > 0)
    .sort((left, right) => right.score - left.score || left.tool.name.localeCompare(right.tool.name));
  return {
    tools: scored
      .slice(0, limit)
      .map(({ tool }) => ({ name: tool.name, description: tool.description, annotations: { ...tool.annotations } })),
    total: scored.length,
  };
}

/** `describe_tool`: the tool as `tools/list` would show it in `'all'` mode. */
export function describeTool(find: (name: string) => ToolDefinition | undefined, args: unknown): Record<string, unknown> {
  const name = optionalString(argumentsObject(args, ['name']), 'name');
  if (name === undefined) throw invalid('name: required');
  const tool = find(name);
  if (tool === undefined) throw new IntegrationError({ kind: 'not_found', message: `No tool named "${name}"`, operation: name });
  return { ...toMcpTool(tool) };
}

/** `call_tool`'s arguments: the tool name and its own arguments. */
export function callToolArguments(args: unknown): { readonly name: string; readonly arguments: unknown } {
  const record = argumentsObject(args, ['name', 'arguments']);
  const name = optionalString(record, 'name');
  if (name === undefined) throw invalid('name: required');
  return { name, arguments: record.arguments ?? {} };
}
