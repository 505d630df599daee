import type { MessagingOperationInput, MessagingOperationOutput, ProviderCallContext, ProviderOperation } from '@switchyard/core';
import { messageSchema, messagingV1 } from '@switchyard/core/messaging';
import { isoTimestamp, twilioMessageSchema, type TwilioMessage } from './twilio-api';
import type { TwilioClient } from './twilio-client';
import { twilioErrors } from './twilio-errors';
import type { TwilioProviderSettings } from './twilio-settings';

/** Twilio refuses bodies longer than this (error 21617); checked before sending. */
export const MAXIMUM_BODY_LENGTH = 1600;

/** A message SID: `SM` (SMS) or `MM` (MMS) and 32 hex digits. */
const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;

/** When Twilio accepted the message: `date_created`, else (null or not a date) the response's `Date` header, else the clock. */
function acceptedAt(message: TwilioMessage, dateHeader: string | string[] | undefined): string {
  const header = Array.isArray(dateHeader) ? dateHeader[0] : dateHeader;
  return isoTimestamp(message.date_created) ?? isoTimestamp(header) ?? new Date().toISOString();
}

/**
 * `messaging.sendMessage` for SMS: `POST /Messages.json` with `To`, `From`
 * and/or `MessagingServiceSid`, `Body` and `StatusCallback`, form-encoded.
 * Blocks are not sent: SMS carries `text`, the contract's plain-text
 * fallback. The caller's idempotency key goes in `I-Twilio-Idempotency-Token`.
 */
export function createMessagingHandlers(client: TwilioClient, settings: TwilioProviderSettings) {
  async function sendMessage(
    input: MessagingOperationInput<'sendMessage'>,
    context: ProviderCallContext,
  ): Promise<MessagingOperationOutput<'sendMessage'>> {
    const operation = 'messaging.sendMessage';
    const recipient = input.recipient;
    if (recipient.kind !== 'phone') {
      throw twilioErrors.create({
        kind: 'unsupported',
        operation,
        message: `SMS goes to phone numbers; a "${recipient.kind}" recipient needs another provider`,
        isRetryable: false,
      });
    }
    if (input.text.length > MAXIMUM_BODY_LENGTH) {
      throw twilioErrors.invalidInput(
        operation,
        `an SMS body is at most ${MAXIMUM_BODY_LENGTH} characters (Twilio error 21617); this one has ${input.text.length}`,
      );
    }
    if (settings.from === undefined && settings.messagingServiceSid === undefined) {
      throw twilioErrors.invalidInput(operation, 'no sender: set from (a Twilio number) or messagingServiceSid');
    }
    const form = new URLSearchParams({ To: recipient.number, Body: input.text });
    if (settings.from !== undefined) form.set('From', settings.from);
    if (settings.messagingServiceSid !== undefined) form.set('MessagingServiceSid', settings.messagingServiceSid);
    if (settings.statusCallback !== undefined) form.set('StatusCallback', settings.statusCallback);
    const response = await client.request(
      {
        method: 'POST',
        path: '/Messages.json',
        body: form,
        headers: { 'i-twilio-idempotency-token': context.idempotencyKey },
        responseSchema: twilioMessageSchema,
      },
      context,
    );
    const message = response.data;
    return {
      messageId: message.sid,
      channelId: recipient.number,
      text: message.body ?? input.text,
      timestamp: acceptedAt(message, response.headers.date),
    };
  }

  return { sendMessage };
}

const statusInput = messagingV1.operations.deleteMessage.input.pick({ messageId: true });
const statusOutput = messageSchema.pick({ messageId: true }).extend({
  status: messageSchema.shape.text.describe(
    'queued, sending, sent, delivered, undelivered, failed, receiving, received, accepted, scheduled, read, canceled',
  ),
  to: messageSchema.shape.text.optional(),
  errorCode: messageSchema.shape.text.optional().describe('Twilio error code when the status is failed or undelivered, e.g. "30003".'),
  errorMessage: messageSchema.shape.text.optional(),
  updatedAt: messageSchema.shape.timestamp.optional(),
});

/**
 * `getMessageStatus`: `GET /Messages/{Sid}.json`, the delivery status of a
 * sent message. Twilio-only, so a provider operation rather than a
 * capability one; read-only and safe to repeat.
 */
export function createStatusOperation(client: TwilioClient): ProviderOperation<typeof statusInput, typeof statusOutput> {
  return {
    description: "Get a sent SMS's delivery status (queued, sent, delivered, undelivered, failed…) by its message SID.",
    input: statusInput,
    output: statusOutput,
    hints: { readOnly: true, destructive: false, idempotent: true },
    async execute(input, context) {
      if (!MESSAGE_SID.test(input.messageId)) {
        throw twilioErrors.invalidInput('getMessageStatus', 'a message SID is "SM" or "MM" followed by 32 hex digits');
      }
      const { data } = await client.request({ path: `/Messages/${input.messageId}.json`, responseSchema: twilioMessageSchema }, context);
      const updatedAt = isoTimestamp(data.date_updated);
      return {
        messageId: data.sid,
        status: data.status ?? 'unknown',
        ...(data.to ? { to: data.to } : {}),
        ...(data.error_code ? { errorCode: String(data.error_code) } : {}),
        ...(data.error_message ? { errorMessage: data.error_message } : {}),
        ...(updatedAt === undefined ? {} : { updatedAt }),
      };
    },
  };
}
