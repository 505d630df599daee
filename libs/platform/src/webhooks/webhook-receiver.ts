import {
  IntegrationError,
  redactIntegrationError,
  SecretSet,
  toIntegrationError,
  type Hub,
  type HubEvents,
  type InboundWebhook,
  type NormalizedWebhookEvent,
  type ProviderV1,
  type ProviderWebhooks,
  type VerifiedWebhook,
  type WebhookHeaders,
  type WebhookReply,
} from '@switchyard/core';
import { hubEventBus } from '@switchyard/core/internal';
import type { Store } from '../store/store';

/** The events the receiver emits, as {@link HubEvents} declares them. */
export type WebhookEvents = Pick<HubEvents, 'webhook.received' | 'webhook.duplicate' | 'webhook.rejected'>;

/** Where the receiver emits its events: an `EventBus<HubEvents>` (or anything with the same `emit`). */
export interface WebhookEventEmitter {
  emit<Type extends keyof WebhookEvents>(type: Type, payload: WebhookEvents[Type]): void;
}

/** Finds a provider by id, e.g. a hub's `registry`. */
export interface WebhookProviderLookup {
  get(id: string): ProviderV1 | undefined;
}

/** Returns the signing secret of a provider's webhooks, per integration when the host keeps one per integration. */
export type WebhookSecretLookup = (providerId: string, integrationId: string | undefined) => string | Promise<string>;

/** What {@link createWebhookReceiver} takes. */
export interface WebhookReceiverOptions {
  /**
   * The hub whose providers' webhooks arrive here: providers are found in its
   * registry, and `webhook.*` events are emitted on its events. Give either
   * `hub` or `providers`.
   */
  readonly hub?: Hub | undefined;
  /** The providers whose webhooks may arrive, found by `manifest.id`: a list, or a lookup such as `hub.registry`. Default: `hub.registry`. */
  readonly providers?: readonly ProviderV1[] | WebhookProviderLookup | undefined;
  /**
   * The signing secret (or shared token) for a provider and integration, e.g.
   * read from the credential vault. Called for every request; the receiver
   * keeps the current value per provider and integration in a `SecretSet` of
   * its own (a rotated secret replaces the old one) and redacts its errors
   * and `webhook.rejected` events with it, and with the provider's
   * `secrets` (values shorter than 6 characters cannot be redacted). An
   * empty secret rejects the request with `auth`.
   */
  readonly secret: WebhookSecretLookup;
  /** Where delivery ids are recorded for dedupe. */
  readonly store: Pick<Store, 'webhookDeliveries'>;
  /** Receives `webhook.received`, `webhook.duplicate` and `webhook.rejected`. Default: the hub's events, or none. */
  readonly events?: WebhookEventEmitter | undefined;
  /** Epoch milliseconds, for `receivedAt`. Default: `Date.now`. */
  readonly clock?: (() => number) | undefined;
}

/** One inbound request, as the host's HTTP route received it. */
export interface WebhookReceiveRequest {
  /** The provider id, e.g. from the route (`/webhooks/:provider`). */
  readonly provider: string;
  /** The integration the webhook belongs to, when the host knows it (e.g. from the route). Default: none. */
  readonly integrationId?: string | undefined;
  readonly headers: WebhookHeaders;
  /**
   * The body exactly as received: a string or bytes (a `Buffer` is fine).
   * Never a parsed object — configure the framework to hand over the raw
   * body (`express.raw()`, `await request.text()`).
   */
  readonly rawBody: Uint8Array | string;
  /** The full URL the sender posted to, for schemes that sign it (Twilio). Default: none. */
  readonly url?: string | undefined;
  /**
   * A fallback delivery id, used only when the provider finds none in the request (see `InboundWebhook.deliveryId`;
   * for Slack, a signed body without `event_id`, `trigger_id` or another id it recognizes). Dedupe relies on it:
   * pass an id a replay of the same request gets again (e.g. one the host's gateway derives from the request), not
   * a fresh random one. Default: none (such a request is rejected with `validation`).
   */
  readonly deliveryId?: string | undefined;
}

/** What {@link WebhookReceiver.receive} resolves to; every refusal is thrown instead. */
export type WebhookReceipt =
  | {
      readonly outcome: 'accepted';
      readonly event: NormalizedWebhookEvent;
      /** What to answer the sender with, when the provider's scheme wants more than an empty 200 (e.g. Slack's challenge). */
      readonly reply?: WebhookReply | undefined;
    }
  | { readonly outcome: 'duplicate'; readonly deliveryId: string };

/** Verifies, deduplicates and normalizes inbound webhooks for every provider with `webhooks`. */
export interface WebhookReceiver {
  /**
   * Handles one request. Resolves `accepted` with the normalized event the
   * first time a delivery id is seen, `duplicate` after that (answer the
   * sender 2xx so it stops retrying). Rejects with an `IntegrationError`:
   * `not_found` (unknown provider), `unsupported` (provider without
   * webhooks), `validation` (body not raw, or not JSON), `auth` (missing or
   * wrong signature, no secret). Errors never hold the secret or the payload.
   */
  receive(request: WebhookReceiveRequest): Promise<WebhookReceipt>;
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Creates the shared inbound-webhook receiver. For each request it finds the
 * provider, insists on the raw body, has the provider verify the signature
 * over those exact bytes, parses the JSON, lets the provider normalize it,
 * and only then records the delivery id, so a request that fails never uses
 * up its id and the sender's retry can still succeed. The delivery is
 * recorded before `receive` resolves: process an accepted event durably, or
 * a failure after acceptance loses it (the sender's retry is a duplicate).
 *
 * @example
 * ```ts
 * const receiver = createWebhookReceiver({
 *   hub,
 *   secret: (providerId, integrationId) => credentials.get(integrationId ?? providerId, 'webhookSecret'),
 *   store,
 * });
 * const receipt = await receiver.receive({ provider: 'github', headers: request.headers, rawBody: await request.text() });
 * ```
 */
export function createWebhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  const providers = options.providers ?? options.hub?.registry;
  if (providers === undefined) {
    throw new IntegrationError({ kind: 'validation', message: 'createWebhookReceiver needs `hub` or `providers`' });
  }
  const findProvider = providerFinder(providers);
  /** The signing secrets looked up, one slot per provider and integration: the receiver's errors and events are redacted with them. */
  const secrets = new SecretSet();
  const events = options.events ?? (options.hub === undefined ? undefined : hubEventBus(options.hub));
  const clock = options.clock ?? Date.now;
  const emit = <Type extends keyof WebhookEvents>(type: Type, payload: WebhookEvents[Type]): void => {
    try {
      events?.emit(type, payload);
    } catch {
      // An event listener's failure must not turn an accepted delivery into an error after it was recorded.
    }
  };

  return {
    async receive(request) {
      const providerId = request.provider;
      const integrationId = request.integrationId;
      let deliveryId: string | undefined;
      try {
        const webhooks = providerWebhooks(findProvider, providerId);
        const receivedAt = clock();
        const inbound: InboundWebhook = {
          headers: requireHeaders(request.headers),
          rawBody: requireRawBody(request.rawBody),
          receivedAt,
          url: request.url,
          deliveryId: request.deliveryId,
        };
        const secret = await resolveSecret(options.secret, providerId, integrationId);
        secrets.set(`${providerId}/${integrationId ?? ''}`, secret);
        const verified = verifyRequest(webhooks, inbound, secret, providerId);
        deliveryId = verified.deliveryId;
        const payload = parseBody(webhooks, verified, inbound.rawBody, providerId);
        const fields = normalizePayload(webhooks, verified, payload, providerId);
        const first = await options.store.webhookDeliveries.record({ providerId, deliveryId, integrationId });
        if (!first) {
          emit('webhook.duplicate', { provider: providerId, integrationId, deliveryId, providerEvent: verified.providerEvent });
          return { outcome: 'duplicate', deliveryId };
        }
        const event: NormalizedWebhookEvent = {
          ...fields,
          provider: providerId,
          deliveryId,
          providerEvent: verified.providerEvent,
          receivedAt: new Date(receivedAt).toISOString(),
          payload,
        };
        emit('webhook.received', {
          provider: providerId,
          integrationId,
          deliveryId,
          providerEvent: verified.providerEvent,
          type: event.type,
          action: event.action,
        });
        return { outcome: 'accepted', event, reply: webhooks.reply?.(event) };
      } catch (error) {
        const providerSecrets = typeof providerId === 'string' ? findProvider(providerId)?.secrets : undefined;
        const failure = redactIntegrationError(
          toIntegrationError(error, { provider: providerId, operation: 'webhooks.receive' }),
          providerSecrets === undefined ? secrets : [secrets, providerSecrets],
        );
        emit('webhook.rejected', {
          provider: providerId,
          integrationId,
          deliveryId,
          error: { kind: failure.kind, message: failure.message },
        });
        throw failure;
      }
    },
  };
}

function providerFinder(providers: readonly ProviderV1[] | WebhookProviderLookup): (id: string) => ProviderV1 | undefined {
  if (!Array.isArray(providers)) {
    const lookup = providers as WebhookProviderLookup;
    return (id) => lookup.get(id);
  }
  const byId = new Map<string, ProviderV1>();
  for (const provider of providers as readonly ProviderV1[]) {
    if (!byId.has(provider.manifest.id)) byId.set(provider.manifest.id, provider);
  }
  return (id) => byId.get(id);
}

function rejection(kind: IntegrationError['kind'], providerId: string, message: string, cause?: unknown): IntegrationError {
  return new IntegrationError({ kind, message, provider: providerId, operation: 'webhooks.receive', cause });
}

function providerWebhooks(findProvider: (id: string) => ProviderV1 | undefined, providerId: string): ProviderWebhooks {
  const provider = typeof providerId === 'string' ? findProvider(providerId) : undefined;
  if (provider === undefined) {
    throw rejection('not_found', String(providerId), `no provider ${JSON.stringify(providerId)} is registered for webhooks`);
  }
  if (provider.webhooks === undefined) {
    throw rejection('unsupported', providerId, `provider "${providerId}" does not receive webhooks`);
  }
  return provider.webhooks;
}

function requireHeaders(headers: unknown): WebhookHeaders {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw new IntegrationError({ kind: 'validation', message: 'webhook headers must be an object of header names to values' });
  }
  return headers as WebhookHeaders;
}

function requireRawBody(rawBody: unknown): Uint8Array | string {
  if (typeof rawBody === 'string' || rawBody instanceof Uint8Array) return rawBody;
  throw new IntegrationError({
    kind: 'validation',
    message:
      'pass the raw body (string or bytes) to the webhook receiver: signatures are over the bytes as sent, and a parsed or re-serialized body does not verify',
  });
}

async function resolveSecret(lookup: WebhookSecretLookup, providerId: string, integrationId: string | undefined): Promise<string> {
  const secret = await lookup(providerId, integrationId);
  if (typeof secret !== 'string' || secret.length === 0) {
    throw rejection('auth', providerId, `no webhook secret is configured for provider "${providerId}"`);
  }
  return secret;
}

function verifyRequest(webhooks: ProviderWebhooks, inbound: InboundWebhook, secret: string, providerId: string): VerifiedWebhook {
  let verified: VerifiedWebhook;
  try {
    verified = webhooks.verify(inbound, secret);
  } catch (error) {
    if (IntegrationError.isInstance(error)) throw error;
    throw rejection('auth', providerId, `the webhook for provider "${providerId}" failed verification`, error);
  }
  const verifiedDeliveryId: unknown = verified?.deliveryId;
  const verifiedEvent: unknown = verified?.providerEvent;
  if (typeof verifiedDeliveryId !== 'string' || verifiedDeliveryId.length === 0 || typeof verifiedEvent !== 'string') {
    throw rejection('validation', providerId, `provider "${providerId}" verified the webhook but returned no delivery id or event name`);
  }
  return verified;
}

function parseBody(webhooks: ProviderWebhooks, verified: VerifiedWebhook, rawBody: Uint8Array | string, providerId: string): unknown {
  let text: string;
  try {
    text = typeof rawBody === 'string' ? rawBody : textDecoder.decode(rawBody);
  } catch {
    throw rejection('validation', providerId, `the webhook body for provider "${providerId}" is not valid UTF-8`);
  }
  if (webhooks.parse !== undefined) {
    try {
      return webhooks.parse(verified, text);
    } catch (error) {
      if (IntegrationError.isInstance(error)) throw error;
      throw rejection('validation', providerId, `the webhook body for provider "${providerId}" could not be read`);
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    // The parser's message quotes the body; leave it out of the error.
    throw rejection('validation', providerId, `the webhook body for provider "${providerId}" is not valid UTF-8 JSON`);
  }
}

function normalizePayload(webhooks: ProviderWebhooks, verified: VerifiedWebhook, payload: unknown, providerId: string) {
  try {
    return webhooks.normalize(verified, payload);
  } catch (error) {
    if (IntegrationError.isInstance(error)) throw error;
    throw rejection(
      'validation',
      providerId,
      `provider "${providerId}" could not read the "${verified.providerEvent}" webhook payload`,
      error,
    );
  }
}
