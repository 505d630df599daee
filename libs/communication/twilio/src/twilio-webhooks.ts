import { createHash } from 'node:crypto';
import {
  headerValue,
  timingSafeEqualText,
  type IntegrationError,
  type InboundWebhook,
  type NormalizedWebhookFields,
  type ProviderWebhooks,
  type VerifiedWebhook,
  type WebhookHmacAlgorithm,
  type WebhookReply,
} from '@switchyard/core';
import { twilioErrors } from './twilio-errors';
import {
  SIGNATURE_SETTINGS_HEADER,
  signatureAlgorithm,
  signedParameters,
  twilioSignatureMatches,
  type TwilioSignatureOptions,
} from './twilio-signature';

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

type FormPairs = readonly (readonly [string, string])[];

/**
 * Where `verify` leaves the form it read on the result it returns, so `parse`
 * of the same body does not read it again. A hidden property, not a WeakMap:
 * a WeakMap entry per request made garbage collection cost more than the
 * second read saved.
 */
const READ_FORM = Symbol('twilio.readForm');

interface ReadForm {
  readonly form: string;
  readonly pairs: FormPairs;
}

/** The form's name/value pairs in body order (WHATWG `application/x-www-form-urlencoded`). */
function formPairs(form: string): FormPairs {
  return [...new URLSearchParams(form)];
}

/**
 * The form as an object without a prototype (a parameter named `__proto__` or
 * `constructor` is just a parameter): a repeated name becomes an array of its
 * distinct values, since twilio-node signs each distinct value once.
 */
function formPayload(pairs: FormPairs): Record<string, string | string[]> {
  const payload = Object.create(null) as Record<string, string | string[] | undefined>;
  /** The values seen so far of each name that came more than once. */
  const repeated = new Map<string, Set<string>>();
  for (const [name, value] of pairs) {
    const existing = payload[name];
    if (existing === undefined) {
      payload[name] = value;
      continue;
    }
    let seen = repeated.get(name);
    if (seen === undefined) repeated.set(name, (seen = new Set(Array.isArray(existing) ? existing : [existing])));
    if (seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(existing)) existing.push(value);
    else payload[name] = [existing, value];
  }
  return payload as Record<string, string | string[]>;
}

function firstValue(pairs: FormPairs, name: string): string | undefined {
  return pairs.find(([key]) => key === name)?.[1];
}

/** The digest `X-Twilio-Webhooks-Signature-Settings` names: HMAC-SHA1 without it; a repeated header is refused, not guessed at. */
function signatureDigest(request: InboundWebhook): WebhookHmacAlgorithm {
  const settings = headerValue(request.headers, SIGNATURE_SETTINGS_HEADER);
  const wanted = SIGNATURE_SETTINGS_HEADER.toLowerCase();
  if (
    settings === undefined &&
    Object.entries(request.headers).some(([name, value]) => name.toLowerCase() === wanted && value !== undefined && value.length > 0)
  ) {
    throw rejected(`${SIGNATURE_SETTINGS_HEADER} is repeated with different values`);
  }
  const algorithm = signatureAlgorithm(settings);
  if ('unknown' in algorithm)
    throw rejected(`${SIGNATURE_SETTINGS_HEADER} names an unsupported algorithm ${JSON.stringify(algorithm.unknown.slice(0, 40))}`);
  return algorithm.digest;
}

/** Checks the URL spellings; a URL that matched no spelling as received and does not parse is `validation`. */
function urlSignatureMatches(options: TwilioSignatureOptions): boolean {
  const matched = twilioSignatureMatches(options);
  if (matched === undefined) throw unreadable('the request URL is not a valid URL');
  return matched;
}

function sha256Hex(rawBody: Uint8Array | string): string {
  return createHash('sha256')
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .digest('hex');
}

/** What {@link verifyJsonBody} and {@link verifyForm} take besides the request. */
interface SignatureCheck {
  readonly secret: string;
  readonly signature: string;
  readonly digest: WebhookHmacAlgorithm;
  readonly url: string;
}

/**
 * A JSON body, as twilio-node's `validateRequestWithBody`: the signature
 * covers the URL alone, whose `bodySHA256` query parameter must be the
 * body's SHA-256 in lower-case hex, compared as text.
 */
function verifyJsonBody(request: InboundWebhook, check: SignatureCheck): VerifiedWebhook {
  if (!URL.canParse(check.url)) throw unreadable('the request URL is not a valid URL');
  const bodySha256 = new URL(check.url).searchParams.get('bodySHA256');
  if (bodySha256 === null) throw rejected('the URL names bodySHA256 but has no bodySHA256 query parameter');
  if (!urlSignatureMatches({ ...check, parameters: '' })) throw rejected('X-Twilio-Signature does not match the URL');
  if (!timingSafeEqualText(sha256Hex(request.rawBody), bodySha256)) throw rejected('the body does not match its bodySHA256');
  return { deliveryId: signedContentId(check.signature), providerEvent: 'json-body' };
}

/** A form body: the signature covers the URL and the parameters, read once for every URL spelling. */
function verifyForm(request: InboundWebhook, check: SignatureCheck): VerifiedWebhook {
  const form = bodyText(request.rawBody);
  const pairs = formPairs(form);
  if (!urlSignatureMatches({ ...check, parameters: signedParameters(pairs) })) {
    throw rejected('X-Twilio-Signature does not match the URL and parameters');
  }
  const verified = identify(pairs, check.signature);
  const read: ReadForm = { form, pairs };
  return Object.defineProperty(verified, READ_FORM, { value: read });
}

/** Delivery id and event name of a verified form webhook. */
function identify(pairs: FormPairs, signature: string): VerifiedWebhook {
  const messageSid = firstValue(pairs, 'MessageSid') ?? firstValue(pairs, 'SmsSid');
  const status = firstValue(pairs, 'MessageStatus');
  if (messageSid !== undefined && status !== undefined) return { deliveryId: `${messageSid}:${status}`, providerEvent: 'message-status' };
  if (messageSid !== undefined) return { deliveryId: messageSid, providerEvent: 'incoming-message' };
  return { deliveryId: signedContentId(signature), providerEvent: 'other' };
}

/**
 * The delivery id of a webhook with no Twilio id of its own (a JSON body, a
 * voice or Gather callback): a hash of its signature, which covers the URL
 * and the content. Not `I-Twilio-Idempotency-Token`: Twilio does not sign
 * that header, so a captured request resent with a new token would pass as
 * a new delivery. Identical signed content is the same delivery (Twilio's
 * retries are), and the id never holds the signature itself.
 */
function signedContentId(signature: string): string {
  return `signed:${createHash('sha256').update(signature).digest('hex').slice(0, 32)}`;
}

/**
 * Twilio's inbound webhooks (SMS status callbacks, incoming messages, and any
 * other signed request): `X-Twilio-Signature` (HMAC-SHA1, or the algorithm
 * `X-Twilio-Webhooks-Signature-Settings` names) checked in constant time and
 * accepted exactly when twilio-node 6's validators accept it, the form body
 * read into an object, and an empty TwiML answer for incoming messages.
 * Twilio signs no timestamp, so replays are refused by delivery id only (the
 * receiver's dedupe store).
 */
export const twilioWebhooks: ProviderWebhooks = {
  verify(request, secret) {
    if (secret === '') throw rejected('no auth token is configured to verify against');
    const signature = headerValue(request.headers, 'X-Twilio-Signature');
    if (signature === undefined || signature === '') throw rejected('the X-Twilio-Signature header is missing');
    // Base64 with non-zero padding bits decodes to the same digest; twilio-node compares the text, so accept only canonical base64.
    if (Buffer.from(signature, 'base64').toString('base64') !== signature) throw rejected('X-Twilio-Signature is not canonical base64');
    const digest = signatureDigest(request);
    const url = request.url;
    if (url === undefined || url === '') {
      throw unreadable('the request URL is needed to verify X-Twilio-Signature: pass the full public URL Twilio posted to as `url`');
    }
    // twilio-node's webhook middleware takes any URL that mentions bodySHA256 (after its first character) for a JSON body.
    const check = { secret, signature, digest, url };
    return url.indexOf('bodySHA256') > 0 ? verifyJsonBody(request, check) : verifyForm(request, check);
  },

  parse(webhook, rawBody) {
    if (webhook.providerEvent === 'json-body') {
      try {
        return JSON.parse(rawBody) as unknown;
      } catch {
        throw unreadable('the body is not valid JSON');
      }
    }
    const read = (webhook as { readonly [READ_FORM]?: ReadForm })[READ_FORM];
    return formPayload(read !== undefined && read.form === rawBody ? read.pairs : formPairs(rawBody));
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
