import { IntegrationError } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { eventError, eventRoutingKey, parseCommand, type AmqpResultEvent } from './amqp-messages';

const timestamp = '2026-01-01T00:00:00.000Z';

describe('bus messages', () => {
  it('reads a command, defaulting absent parameters to {}', () => {
    expect(parseCommand(Buffer.from(JSON.stringify({ tool_name: 'storage_head_object', task_id: 't', step_id: 's' })))).toEqual({
      ok: true,
      command: { tool_name: 'storage_head_object', parameters: {}, task_id: 't', step_id: 's' },
    });
  });

  it('says what is wrong with a message that is not a command, keeping what it could read', () => {
    expect(parseCommand(Buffer.from('{oops'))).toMatchObject({ ok: false, reason: 'The command is not valid JSON' });
    expect(parseCommand(Buffer.from('[1]'))).toMatchObject({ ok: false, reason: 'The command is not a JSON object' });
    expect(parseCommand(Buffer.from(JSON.stringify({ tool_name: 'x', parameters: 3, task_id: 't' })))).toEqual({
      ok: false,
      reason: 'The command lacks valid fields: step_id, parameters',
      partial: { task_id: 't', step_id: null, tool_name: 'x' },
    });
  });

  it('routes events as integrations.<tool>_<status>, and odd tool names as unknown', () => {
    const completed: AmqpResultEvent = {
      task_id: 't',
      step_id: 's',
      tool_name: 'ledger_append',
      status: 'completed',
      result: {},
      timestamp,
    };
    const failed: AmqpResultEvent = {
      task_id: null,
      step_id: null,
      tool_name: 'a.#.b',
      status: 'failed',
      error: { kind: 'validation', message: 'bad', retryable: false },
      timestamp,
    };
    expect(eventRoutingKey(completed)).toBe('integrations.ledger_append_completed');
    expect(eventRoutingKey(failed)).toBe('integrations.unknown_failed');
  });

  it("carries a hub error's kind, message and retryability, and nothing of other errors", () => {
    expect(eventError(new IntegrationError({ kind: 'rate_limit', message: 'slow down' }))).toEqual({
      kind: 'rate_limit',
      message: 'slow down',
      retryable: true,
    });
    expect(eventError(new Error('password=hunter2'))).toEqual({
      kind: 'provider',
      message: 'The tool failed with an unexpected error',
      retryable: false,
    });
  });
});
