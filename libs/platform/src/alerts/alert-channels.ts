import { IntegrationError, type Hub, type Recipient } from '@switchyard/core';
import { createTransport } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { Webhook } from 'standardwebhooks';
import { VERSION } from '../version';
import { isWebhookSecret } from '../webhooks/webhook-secret';
import { checkSubscriptionUrl } from '../webhooks/webhook-url';
import { describeNotification, type AlertChannel, type AlertNotification } from './alert-types';

/** Options of {@link webhookChannel}. */
export interface WebhookChannelOptions {
  /** Where alerts are POSTed: `https:` (or `http:` with `allowPrivateNetwork`). */
  readonly url: string;
  /** A Standard Webhooks secret (`whsec_` and base64, e.g. from `createWebhookSecret()`): signs every request. Default: unsigned. */
  readonly secret?: string | undefined;
  /** Allow loopback, private and link-local hosts and plain `http:` (development, in-cluster receivers). Default: `false`. */
  readonly allowPrivateNetwork?: boolean | undefined;
  /** Deadline of one request, in ms. Default: 10 000. */
  readonly timeoutMs?: number | undefined;
  /** Sends the request. Default: the global `fetch`. */
  readonly fetch?: typeof fetch | undefined;
  /** Default: `'webhook'`. */
  readonly name?: string | undefined;
}

/** The body a webhook channel POSTs: the Standard Webhooks shape, with the alert as `data`. */
export function alertWebhookBody(notification: AlertNotification, timestamp: Date): string {
  return JSON.stringify({ type: `alert.${notification.event}`, timestamp: timestamp.toISOString(), data: notification.alert });
}

/**
 * A channel that POSTs each notification as JSON — `{ type: 'alert.raised'
 * | 'alert.resolved', timestamp, data: alert }` — signed the Standard
 * Webhooks way (`webhook-id`, `webhook-timestamp`, `webhook-signature`)
 * when a secret is given. The URL passes the same SSRF check as outbound
 * webhook subscriptions before every request; a non-2xx answer fails the
 * delivery. Errors name the host, never the URL's path or query.
 *
 * @example
 * ```ts
 * webhookChannel({ url: 'https://ops.example.com/alerts', secret: process.env.ALERT_WEBHOOK_SECRET });
 * ```
 */
export function webhookChannel(options: WebhookChannelOptions): AlertChannel {
  const { url, secret } = options;
  if (secret !== undefined && !isWebhookSecret(secret)) {
    throw new IntegrationError({ kind: 'validation', message: 'webhookChannel: secret must be "whsec_" and the base64 of 24 to 64 bytes' });
  }
  const signer = secret === undefined ? undefined : new Webhook(secret);
  const send = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const host = URL.canParse(url) ? new URL(url).host : 'an invalid URL';
  return {
    name: options.name ?? 'webhook',
    async send(notification) {
      await checkSubscriptionUrl(url, { allowPrivateNetwork: options.allowPrivateNetwork });
      const sentAt = new Date();
      const id = `${notification.alert.id}.${notification.event}`;
      const body = alertWebhookBody(notification, sentAt);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': `Switchyard-Alerts/${VERSION}`,
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      };
      if (signer !== undefined) headers['webhook-signature'] = signer.sign(id, sentAt, body);
      let response: Response;
      try {
        response = await send(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        const code = (error as { cause?: { code?: unknown } }).cause?.code;
        const timedOut = error instanceof Error && error.name === 'TimeoutError';
        throw new IntegrationError({
          kind: timedOut ? 'timeout' : 'network',
          message: `webhook channel: POST to ${host} ${timedOut ? `timed out after ${timeoutMs} ms` : `failed${typeof code === 'string' ? ` (${code})` : ''}`}`,
          isRetryable: true,
        });
      }
      await response.body?.cancel().catch(() => undefined);
      if (response.status < 200 || response.status > 299) {
        throw new IntegrationError({
          kind: 'provider',
          message: `webhook channel: ${host} answered HTTP ${response.status}`,
          statusCode: response.status,
        });
      }
    },
  };
}

/** Options of {@link messagingChannel}. */
export interface MessagingChannelOptions {
  /** The hub whose `messaging` capability sends: its router picks the provider and fails over (Slack → Telegram, ...). */
  readonly hub: Pick<Hub, 'execute'>;
  /** Who gets the message, as the messaging capability takes it, e.g. `{ kind: 'channel', id: '@ops-team' }`. */
  readonly to: Recipient;
  /** Providers to try first, in order. Default: the router's ranking. */
  readonly prefer?: readonly string[] | undefined;
  /** Deadline of one notification, failovers included, in ms. Default: the hub's. */
  readonly timeoutMs?: number | undefined;
  /** Default: `'messaging'`. */
  readonly name?: string | undefined;
}

/**
 * A channel that sends each notification as a message through the hub's
 * own `messaging` capability (`sendMessage`), so the router's failover
 * applies: when the preferred provider fails, another delivers it.
 *
 * @example
 * ```ts
 * messagingChannel({ hub, to: { kind: 'channel', id: '@ops-team' }, prefer: ['slack'] });
 * ```
 */
export function messagingChannel(options: MessagingChannelOptions): AlertChannel {
  return {
    name: options.name ?? 'messaging',
    async send(notification) {
      const { text } = describeNotification(notification);
      await options.hub.execute(
        { capability: 'messaging', operation: 'sendMessage', input: { recipient: options.to, text } },
        { prefer: options.prefer, timeoutMs: options.timeoutMs },
      );
    },
  };
}

/** Options of {@link emailChannel}. */
export interface EmailChannelOptions {
  /** nodemailer's SMTP transport options (host, port, secure, auth, timeouts) or an `smtp(s)://` URL. */
  readonly transport: SMTPTransport.Options | string;
  /** The sender address. */
  readonly from: string;
  /** One recipient or several. */
  readonly to: string | readonly string[];
  /** Default: `'email'`. */
  readonly name?: string | undefined;
}

/**
 * A channel that emails each notification over SMTP with nodemailer: the
 * subject names severity, state, rule and subject; the text holds the
 * alert's message, times and id. The SMTP password never appears in errors.
 *
 * @example
 * ```ts
 * emailChannel({ transport: { host: 'smtp.example.com', port: 587, auth: { user, pass } }, from: 'alerts@example.com', to: 'ops@example.com' });
 * ```
 */
export function emailChannel(options: EmailChannelOptions): AlertChannel {
  const transporter = createTransport(options.transport);
  const to = typeof options.to === 'string' ? options.to : [...options.to];
  return {
    name: options.name ?? 'email',
    async send(notification) {
      const { subject, text } = describeNotification(notification);
      try {
        await transporter.sendMail({ from: options.from, to, subject, text });
      } catch (error) {
        const detail = error as { code?: unknown; responseCode?: unknown };
        const code = typeof detail.code === 'string' ? detail.code : 'unknown';
        const status = typeof detail.responseCode === 'number' ? `, SMTP ${detail.responseCode}` : '';
        throw new IntegrationError({
          kind: code === 'EAUTH' ? 'auth' : 'network',
          message: `email channel: sending failed (${code}${status})`,
        });
      }
    },
  };
}
