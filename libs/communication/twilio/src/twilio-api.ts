import type { ResponseSchema } from '@switchyard/http';

/**
 * The fields of Twilio's Message resource the provider reads
 * (https://www.twilio.com/docs/messaging/api/message-resource). Twilio's
 * OpenAPI description marks all but `sid` nullable.
 */
export interface TwilioMessage {
  readonly sid: string;
  readonly body: string | undefined;
  readonly to: string | undefined;
  readonly status: string | undefined;
  /** RFC 2822, e.g. "Thu, 24 Aug 2023 05:01:45 +0000". */
  readonly dateCreated: string | undefined;
  readonly dateUpdated: string | undefined;
  readonly errorCode: number | undefined;
  readonly errorMessage: string | undefined;
}

type Issue = { readonly path: readonly PropertyKey[]; readonly message: string };

function optionalString(body: Record<string, unknown>, field: string, issues: Issue[]): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') issues.push({ path: [field], message: 'expected a string' });
  return typeof value === 'string' ? value : undefined;
}

/** Reads a Message resource; a missing `sid` or a field of the wrong type is an issue naming the field. */
export const twilioMessageSchema: ResponseSchema<TwilioMessage> = {
  safeParse(value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { success: false, error: { issues: [{ path: [], message: 'expected an object' }] } };
    }
    const body = value as Record<string, unknown>;
    const issues: Issue[] = [];
    const sid = optionalString(body, 'sid', issues);
    if (sid === undefined || sid === '') issues.push({ path: ['sid'], message: 'expected a message SID' });
    const errorCode = body.error_code;
    if (errorCode !== undefined && errorCode !== null && typeof errorCode !== 'number') issues.push({ path: ['error_code'], message: 'expected a number' });
    const message: TwilioMessage = {
      sid: sid ?? '',
      body: optionalString(body, 'body', issues),
      to: optionalString(body, 'to', issues),
      status: optionalString(body, 'status', issues),
      dateCreated: optionalString(body, 'date_created', issues),
      dateUpdated: optionalString(body, 'date_updated', issues),
      errorCode: typeof errorCode === 'number' ? errorCode : undefined,
      errorMessage: optionalString(body, 'error_message', issues),
    };
    return issues.length > 0 ? { success: false, error: { issues } } : { success: true, data: message };
  },
};

/** An RFC 2822 date as ISO 8601 UTC; undefined when absent or not a date. */
export function isoTimestamp(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
