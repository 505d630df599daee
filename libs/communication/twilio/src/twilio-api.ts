import { z } from 'zod';

/**
 * The fields of Twilio's Message resource the provider reads
 * (https://www.twilio.com/docs/messaging/api/message-resource). Twilio's
 * OpenAPI description marks all but `sid` nullable; the dates are RFC 2822,
 * e.g. "Thu, 24 Aug 2023 05:01:45 +0000".
 */
export const twilioMessageSchema = z.object({
  sid: z.string().min(1),
  body: z.string().nullish(),
  to: z.string().nullish(),
  status: z.string().nullish(),
  date_created: z.string().nullish(),
  date_updated: z.string().nullish(),
  error_code: z.number().nullish(),
  error_message: z.string().nullish(),
});

/** A Message resource as {@link twilioMessageSchema} reads it. */
export type TwilioMessage = z.output<typeof twilioMessageSchema>;

/** Twilio's error envelope, `{ code: 21211, message, more_info, status }`: the fields the error reader keeps. */
export const twilioErrorSchema = z.object({
  code: z.number(),
  message: z.string().nullish(),
  more_info: z.string().nullish(),
});

/** An RFC 2822 date as ISO 8601 UTC; undefined when absent or not a date. */
export function isoTimestamp(value: string | null | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
