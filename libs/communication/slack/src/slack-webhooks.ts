import { createHash } from 'node:crypto';
import {
  headerValue,
  verifyHmacSignature,
  verifyTimestampWindow,
  type IntegrationError,
  type InboundWebhook,
  type NormalizedWebhookFields,
  type ProviderWebhooks,
  type VerifiedWebhook,
} from '@switchyard/core';
import { slackErrors } from './slack-error';

type Json = Readonly<Record<string, unknown>>;

const textDecoder = new TextDecoder('utf-8', { fatal: true });

function rejected(message: string): IntegrationError {
  return slackErrors.create({ kind: 'auth', message: `webhook rejected: ${message}`, operation: 'webhooks.verify', isRetryable: false });
}

function unreadable(message: string): IntegrationError {
  return slackErrors.create({ kind: 'validation', message: `webhook: ${message}`, operation: 'webhooks.parse', isRetryable: false });
}

const asRecord = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const asString = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** A Slack request body and how it came: Events API JSON, an interactivity form (`payload=<json>`) or a plain form. */
interface SlackBody {
  readonly kind: 'json' | 'interactivity' | 'form';
  readonly body: Json;
}

function readSlackBody(text: string): SlackBody {
  if (text.trimStart().startsWith('{')) {
    try {
      return { kind: 'json', body: asRecord(JSON.parse(text)) };
    } catch {
      throw unreadable('the JSON body could not be parsed');
    }
  }
  const form = new URLSearchParams(text);
  const payload = form.get('payload');
  if (payload === null) return { kind: 'form', body: Object.fromEntries(form) };
  try {
    return { kind: 'interactivity', body: asRecord(JSON.parse(payload)) };
  } catch {
    throw unreadable('the form field `payload` is not JSON');
  }
}

/**
 * Reads a Slack request body: JSON (Events API), a form with `payload=<json>`
 * (interactivity: `block_actions`, `block_suggestion`, shortcuts, views), or a
 * plain form (slash commands) as an object of its fields.
 */
export function parseSlackBody(text: string): Json {
  return readSlackBody(text).body;
}

/** The event name of a parsed body, and its delivery id when the body carries one. */
type SlackDelivery = Omit<VerifiedWebhook, 'deliveryId'> & { readonly deliveryId: string | undefined };

/**
 * The event name of a parsed body and the delivery id it carries. Events API:
 * `event_id` and the inner `event.type` (`url_verification` has neither: its
 * `challenge` stands in for the id). Interactivity: the payload `type`, and
 * `trigger_id` as the id (present on `block_actions`, shortcuts and view
 * submissions), else the container's message ts plus the first action's
 * `action_ts`, else `<type>:sha256:<hex>` over the signed content
 * (`v0:<timestamp>:<raw body>`): `block_suggestion`, `view_closed` and dialog
 * payloads carry no id of their own, and Slack never retries an interaction,
 * so only a replay of the very same request has that id. Slash commands:
 * `slash_command` and `trigger_id`. `deliveryId` is `undefined` when the body
 * carries none.
 */
function slackDelivery({ kind, body }: SlackBody, signedContentSha256: () => string): SlackDelivery {
  const type = asString(body.type);
  if (kind === 'form') {
    const command = asString(body.command);
    return {
      deliveryId: command === undefined ? undefined : asString(body.trigger_id),
      providerEvent: command === undefined ? 'form' : 'slash_command',
    };
  }
  if (kind === 'interactivity') {
    const providerEvent = type ?? 'interactivity';
    const messageTs = asString(asRecord(body.container).message_ts);
    const actionTs = Array.isArray(body.actions) ? asString(asRecord(body.actions[0]).action_ts) : undefined;
    const messageAction = messageTs !== undefined && actionTs !== undefined ? `${messageTs}:${actionTs}` : undefined;
    return { deliveryId: asString(body.trigger_id) ?? messageAction ?? `${providerEvent}:sha256:${signedContentSha256()}`, providerEvent };
  }
  if (type === 'url_verification') {
    const challenge = asString(body.challenge);
    return { deliveryId: challenge === undefined ? undefined : `url_verification:${challenge}`, providerEvent: 'url_verification' };
  }
  if (type === 'app_rate_limited') {
    // Sent when the app's event deliveries are being dropped for a minute; it has no event_id.
    const team = asString(body.team_id);
    const minute = typeof body.minute_rate_limited === 'number' ? String(body.minute_rate_limited) : undefined;
    return {
      deliveryId: team === undefined || minute === undefined ? undefined : `app_rate_limited:${team}:${minute}`,
      providerEvent: 'app_rate_limited',
    };
  }
  // Events API: Slack retries an event with a new timestamp and the same event_id, so no content hash stands in for it.
  return { deliveryId: asString(body.event_id), providerEvent: asString(asRecord(body.event).type) ?? type ?? 'event_callback' };
}

function bodyText(rawBody: Uint8Array | string): string {
  if (typeof rawBody === 'string') return rawBody;
  try {
    return textDecoder.decode(rawBody);
  } catch {
    throw unreadable('the body is not valid UTF-8');
  }
}

const MESSAGE_ACTIONS: Readonly<Record<string, string>> = { message_changed: 'edited', message_deleted: 'deleted' };

/** The normalized fields of a parsed Slack body (see the table in docs/providers/slack.md). */
export function normalizeSlack(webhook: VerifiedWebhook, payload: unknown): NormalizedWebhookFields {
  const body = asRecord(payload);
  const event = asRecord(body.event);
  switch (webhook.providerEvent) {
    case 'url_verification':
      return { type: 'other', action: 'url_verification' };
    case 'message': {
      const subtype = asString(event.subtype);
      return {
        type: 'other',
        action: subtype === undefined ? 'created' : (MESSAGE_ACTIONS[subtype] ?? subtype),
        sender: asString(event.user),
      };
    }
    case 'app_mention':
      return { type: 'other', action: 'mentioned', sender: asString(event.user) };
    case 'block_actions': {
      const first = Array.isArray(body.actions) ? asRecord(body.actions[0]) : {};
      return {
        type: 'other',
        action: asString(first.type) === 'button' ? 'clicked' : asString(first.type),
        sender: asString(asRecord(body.user).id),
      };
    }
    case 'slash_command':
      return { type: 'other', action: asString(body.command), sender: asString(body.user_id) };
    default:
      return { type: 'other', action: asString(event.subtype), sender: asString(event.user) ?? asString(asRecord(body.user).id) };
  }
}

/**
 * Slack's request signing for Events API, interactivity and slash-command
 * requests, answering as Bolt for JavaScript's `verifySlackRequest` does:
 * `X-Slack-Signature` is `v0=` and the lower-case hex HMAC-SHA256 of
 * `v0:<X-Slack-Request-Timestamp>:<raw body>` under the signing secret,
 * compared in constant time; the timestamp may be at most five minutes (in
 * whole seconds) older than when the request arrived (`receivedAt`), and any
 * amount newer. When `appId` is set, a body naming another `api_app_id` is
 * rejected. A body without an id of its own takes the host's
 * `request.deliveryId`, else is rejected with `validation`.
 */
export function createSlackWebhooks(appId: () => string | undefined): ProviderWebhooks {
  return {
    verify(request: InboundWebhook, secret: string): VerifiedWebhook {
      const signature = headerValue(request.headers, 'X-Slack-Signature');
      const timestamp = headerValue(request.headers, 'X-Slack-Request-Timestamp');
      if (signature === undefined) throw rejected('X-Slack-Signature is missing or sent more than once');
      if (timestamp === undefined) throw rejected('X-Slack-Request-Timestamp is missing or sent more than once');
      const bytes = typeof request.rawBody === 'string' ? Buffer.from(request.rawBody, 'utf8') : request.rawBody;
      const signedBytes = Buffer.concat([Buffer.from(`v0:${timestamp}:`, 'utf8'), bytes]);
      if (!verifyHmacSignature({ secret, payload: signedBytes, signature, prefix: 'v0=', digestCase: 'lower' }))
        throw rejected('X-Slack-Signature does not match');
      // As Bolt: whole seconds (it floors now), a limit on age only (a replay always comes later than the original).
      const now = Math.floor((request.receivedAt ?? Date.now()) / 1000) * 1000;
      if (!verifyTimestampWindow(timestamp, { now, toleranceSeconds: 300, futureToleranceSeconds: Number.POSITIVE_INFINITY }))
        throw rejected('X-Slack-Request-Timestamp is more than five minutes old');
      const slackBody = readSlackBody(bodyText(request.rawBody));
      const expectedApp = appId();
      const bodyApp = asString(slackBody.body.api_app_id);
      if (expectedApp !== undefined && bodyApp !== undefined && bodyApp !== expectedApp)
        throw rejected(`the request is for app ${bodyApp}, not ${expectedApp}`);
      const delivery = slackDelivery(slackBody, () => createHash('sha256').update(signedBytes).digest('hex'));
      const deliveryId = delivery.deliveryId ?? request.deliveryId;
      if (deliveryId === undefined || deliveryId === '')
        throw unreadable('the body has no event_id, trigger_id or challenge to identify the delivery, and the host gave no deliveryId');
      return { deliveryId, providerEvent: delivery.providerEvent };
    },
    parse: (_webhook, rawBody) => parseSlackBody(rawBody),
    normalize: normalizeSlack,
    reply(event) {
      if (event.providerEvent !== 'url_verification') return undefined;
      const challenge = asString(asRecord(event.payload).challenge);
      return challenge === undefined ? undefined : { status: 200, headers: { 'content-type': 'text/plain' }, body: challenge };
    },
  };
}
