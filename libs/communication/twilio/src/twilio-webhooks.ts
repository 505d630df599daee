import { createHash } from 'node:crypto';
import {
  headerValue,
  timingSafeEqualText,
  type IntegrationError,
  verifyHmacSignature,
  type InboundWebhook,
  type NormalizedWebhookFields,
  type ProviderWebhooks,
  type VerifiedWebhook,
  type WebhookReply,
} from '@switchyard/core';
import { twilioErrors } from './twilio-errors';

/** `verify`'s event names: a message status callback, an incoming message, a JSON body (`bodySHA256`), anything else. */
export const TWILIO_WEBHOOK_EVENTS = ['message-status', 'incoming-message', 'json-body', 'other'] as const;

/** The empty TwiML document answered to an incoming message: receive it, send no reply. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

const decoder = new TextDecoder('utf-8', { fatal: true });

function rejected(message: string): IntegrationError {
  return twilioErrors.create({ kind: 'auth', message: `webhook: ${message}`, statusCode: 403, isRetryable: false });
}

function unreadable(message: string): IntegrationError {
  return twilioErrors.create({ kind: 'validation', message: `webhook: ${message}`, isRetryable: false });
}

function bodyText(rawBody: Uint8Array | string): string {
  if (typeof rawBody === 'string') return rawBody;
  try {
    return decoder.decode(rawBody);
  } catch {
    throw rejected('the body is not valid UTF-8');
  }
}

/** The form parameters as name/value pairs, in the order Twilio signs them: by name, then by value (for repeated names). */
export function sortedParameters(form: string): [string, string][] {
  const pairs = [...new URLSearchParams(form)];
  return pairs.sort(([leftName, leftValue], [rightName, rightValue]) =>
    leftName === rightName ? (leftValue < rightValue ? -1 : leftValue > rightValue ? 1 : 0) : leftName < rightName ? -1 : 1,
  );
}

/**
 * The string Twilio signs: the full URL, then each POST parameter's name and
 * value with no delimiter, sorted by name
 * (https://www.twilio.com/docs/usage/security#validating-requests).
 */
export function signedString(url: string, form: string): string {
  return (
    url +
    sortedParameters(form)
      .map(([name, value]) => name + value)
      .join('')
  );
}

/**
 * The URL as given, and with its default port added or removed: Twilio's own
 * validators try both, since a proxy may add or drop `:443`.
 */
function urlVariants(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw unreadable('the request URL is not a valid URL');
  }
  const defaultPort = parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : undefined;
  if (defaultPort === undefined) return [url];
  const explicitDefaultPort = new RegExp(`^([a-z]+://[^/?#]*):${defaultPort}(?=[/?#]|$)`, 'i');
  if (explicitDefaultPort.test(url)) return [url, url.replace(explicitDefaultPort, '$1')];
  if (parsed.port !== '') return [url];
  return [url, url.replace(/^([a-z]+:\/\/[^/?#]*)/i, `$1:${defaultPort}`)];
}

function signatureMatches(secret: string, signature: string, payloads: readonly string[]): boolean {
  let matched = false;
  for (const payload of payloads) {
    // Every variant is checked, so the time taken does not say which one matched.
    if (verifyHmacSignature({ secret, payload, signature, algorithm: 'sha1', encoding: 'base64' })) matched = true;
  }
  return matched;
}

function sha256Hex(rawBody: Uint8Array | string): string {
  return createHash('sha256')
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .digest('hex');
}

/** A JSON body: the signature covers the URL alone, whose `bodySHA256` query parameter covers the body. */
function verifyJsonBody(
  request: InboundWebhook,
  urls: readonly string[],
  secret: string,
  signature: string,
  bodySha256: string,
): VerifiedWebhook {
  if (!signatureMatches(secret, signature, urls)) throw rejected('X-Twilio-Signature does not match the URL');
  if (!timingSafeEqualText(sha256Hex(request.rawBody).toLowerCase(), bodySha256.toLowerCase()))
    throw rejected('the body does not match its bodySHA256');
  const token = headerValue(request.headers, 'I-Twilio-Idempotency-Token');
  return {
    deliveryId: token !== undefined && token !== '' ? token : `body-sha256:${bodySha256.toLowerCase()}`,
    providerEvent: 'json-body',
  };
}

/** Delivery id and event name of a verified form webhook. */
function identify(parameters: URLSearchParams, request: InboundWebhook, signature: string): VerifiedWebhook {
  const messageSid = parameters.get('MessageSid') ?? parameters.get('SmsSid');
  const status = parameters.get('MessageStatus');
  if (messageSid !== null && status !== null) return { deliveryId: `${messageSid}:${status}`, providerEvent: 'message-status' };
  if (messageSid !== null) return { deliveryId: messageSid, providerEvent: 'incoming-message' };
  const token = headerValue(request.headers, 'I-Twilio-Idempotency-Token');
  // Identical signed content is the same delivery: the signature stands for it.
  return { deliveryId: token !== undefined && token !== '' ? token : `signature:${signature}`, providerEvent: 'other' };
}

/**
 * Twilio's inbound webhooks (SMS status callbacks, incoming messages, and any
 * other signed request): `X-Twilio-Signature` checked in constant time, the
 * form body read into an object, and an empty TwiML answer for incoming
 * messages. Twilio signs no timestamp, so replays are refused by delivery id
 * only (the receiver's dedupe store).
 */
export const twilioWebhooks: ProviderWebhooks = {
  verify(request, secret) {
    if (secret === '') throw rejected('no auth token is configured to verify against');
    const signature = headerValue(request.headers, 'X-Twilio-Signature');
    if (signature === undefined || signature === '') throw rejected('the X-Twilio-Signature header is missing');
    // Base64 with non-zero padding bits decodes to the same digest; Twilio sends canonical base64, so accept only that.
    if (Buffer.from(signature, 'base64').toString('base64') !== signature) throw rejected('X-Twilio-Signature is not canonical base64');
    const url = request.url;
    if (url === undefined || url === '') {
      throw unreadable('the request URL is needed to verify X-Twilio-Signature: pass the full public URL Twilio posted to as `url`');
    }
    const variants = urlVariants(url);
    const bodySha256 = new URL(url).searchParams.get('bodySHA256');
    if (bodySha256 !== null) return verifyJsonBody(request, variants, secret, signature, bodySha256);
    const form = bodyText(request.rawBody);
    if (
      !signatureMatches(
        secret,
        signature,
        variants.map((variant) => signedString(variant, form)),
      )
    ) {
      throw rejected('X-Twilio-Signature does not match the URL and parameters');
    }
    return identify(new URLSearchParams(form), request, signature);
  },

  parse(webhook, rawBody) {
    if (webhook.providerEvent === 'json-body') {
      try {
        return JSON.parse(rawBody) as unknown;
      } catch {
        throw unreadable('the body is not valid JSON');
      }
    }
    const payload: Record<string, string | string[]> = {};
    for (const [name, value] of new URLSearchParams(rawBody)) {
      const existing = payload[name];
      payload[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
    return payload;
  },

  normalize(webhook, payload): NormalizedWebhookFields {
    const body = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
    const from = typeof body.From === 'string' && body.From !== '' ? body.From : undefined;
    if (webhook.providerEvent === 'message-status') {
      return { type: 'other', action: typeof body.MessageStatus === 'string' ? body.MessageStatus : undefined, sender: from };
    }
    if (webhook.providerEvent === 'incoming-message') return { type: 'other', action: 'received', sender: from };
    return { type: 'other', sender: from };
  },

  reply(event): WebhookReply | undefined {
    if (event.providerEvent !== 'incoming-message') return undefined;
    return { status: 200, headers: { 'content-type': 'text/xml' }, body: EMPTY_TWIML };
  },
};
