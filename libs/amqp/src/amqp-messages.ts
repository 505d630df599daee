import { IntegrationError } from '@switchyard/core';

/** A command as it arrives on the commands exchange. */
export interface AmqpCommand {
  /** The tool to run, as `hub.tools.list()` names it, e.g. `storage_put_object`. */
  readonly tool_name: string;
  /** The tool's arguments, a JSON object. */
  readonly parameters: Record<string, unknown>;
  readonly task_id: string;
  readonly step_id: string;
}

/** Why a command failed: an error kind, a redacted message and whether another try may help. */
export interface AmqpEventError {
  /** One of core's error kinds, or `unknown_outcome` when a worker died during the call. */
  readonly kind: string;
  readonly message: string;
  readonly retryable: boolean;
}

/** A result event as the worker publishes it on the events exchange. */
export type AmqpResultEvent = {
  /** `null` when the command could not be read far enough to tell. */
  readonly task_id: string | null;
  readonly step_id: string | null;
  readonly tool_name: string | null;
  /** ISO 8601, when the worker built the event. */
  readonly timestamp: string;
} & ({ readonly status: 'completed'; readonly result: unknown } | { readonly status: 'failed'; readonly error: AmqpEventError });

/** What {@link parseCommand} found: a command, or why the message is not one (and what of it could be read). */
export type ParsedCommand =
  | { readonly ok: true; readonly command: AmqpCommand }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly partial: { readonly task_id: string | null; readonly step_id: string | null; readonly tool_name: string | null };
    };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Reads a message body as a command; never throws. */
export function parseCommand(body: Buffer): ParsedCommand {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, reason: 'The command is not valid JSON', partial: { task_id: null, step_id: null, tool_name: null } };
  }
  if (!isObject(value)) {
    return { ok: false, reason: 'The command is not a JSON object', partial: { task_id: null, step_id: null, tool_name: null } };
  }
  const partial = { task_id: text(value['task_id']), step_id: text(value['step_id']), tool_name: text(value['tool_name']) };
  const missing = (['tool_name', 'task_id', 'step_id'] as const).filter((field) => partial[field] === null);
  const parameters = value['parameters'] ?? {};
  if (!isObject(parameters)) missing.push('parameters' as never);
  if (missing.length > 0 || partial.tool_name === null || partial.task_id === null || partial.step_id === null || !isObject(parameters)) {
    return { ok: false, reason: `The command lacks valid fields: ${missing.join(', ')}`, partial };
  }
  return { ok: true, command: { tool_name: partial.tool_name, parameters, task_id: partial.task_id, step_id: partial.step_id } };
}

/** Tool names are snake_case; anything else (a poison message's) routes as `unknown`. */
function routingName(toolName: string | null): string {
  return toolName !== null && /^[A-Za-z0-9_-]{1,200}$/.test(toolName) ? toolName : 'unknown';
}

/** `integrations.<tool_name>_<completed|failed>`. */
export function eventRoutingKey(event: AmqpResultEvent): string {
  return `integrations.${routingName(event.tool_name)}_${event.status}`;
}

/** The error of a failed call as the bus carries it: the hub's errors are already redacted; anything else says nothing of itself. */
export function eventError(error: unknown): AmqpEventError {
  if (IntegrationError.isInstance(error)) return { kind: error.kind, message: error.message, retryable: error.isRetryable };
  return { kind: 'provider', message: 'The tool failed with an unexpected error', retryable: false };
}
