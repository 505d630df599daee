/** Header values as Node's `IncomingMessage.headers` holds them; names are matched case-insensitively. */
export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** An inbound webhook request as the host received it: headers and the raw, unparsed body. */
export interface InboundWebhook {
  readonly headers: WebhookHeaders;
  /** The body exactly as received. Signatures are over these bytes: never re-serialize parsed JSON. */
  readonly rawBody: Uint8Array | string;
  /**
   * When the receiver got the request, as epoch milliseconds from its clock;
   * pass it as `now` to `verifyTimestampWindow`. Default: absent (use `Date.now()`).
   */
  readonly receivedAt?: number | undefined;
  /**
   * The full URL the sender posted to (scheme, host, path and query), for
   * schemes that sign it, such as Twilio's `X-Twilio-Signature`. Behind a
   * proxy, the public URL the sender used. Default: absent.
   */
  readonly url?: string | undefined;
  /**
   * A delivery id from the host, for a request the provider finds no id of its own in. A provider's
   * `verify` returns it only then (its own id always wins); providers whose requests always carry one
   * (GitHub's `X-GitHub-Delivery`) never use it. Dedupe is only as good as this id: a replay must bring the
   * same one. Default: absent (such a request is rejected with `validation`).
   */
  readonly deliveryId?: string | undefined;
}

/** What a host should answer the sender with, when the scheme asks for more than `200 OK`. */
export interface WebhookReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body: string;
}

/** What a provider's `verify` learned from a request whose signature or token held. */
export interface VerifiedWebhook {
  /** The provider's delivery id (GitHub `X-GitHub-Delivery`, GitLab `Idempotency-Key`), for dedupe. */
  readonly deliveryId: string;
  /** The provider's own event name, e.g. "issues" (GitHub) or "Issue Hook" (GitLab). */
  readonly providerEvent: string;
}

/** The normalized kinds of webhook event; `other` keeps everything else. */
export type WebhookEventType = 'push' | 'pull_request' | 'issue' | 'issue_comment' | 'other';

/** What a provider's `normalize` returns for one verified payload. */
export interface NormalizedWebhookFields {
  readonly type: WebhookEventType;
  /** What happened, in lower case: "opened", "closed", "reopened", "merged", "created", "edited", ... */
  readonly action?: string | undefined;
  /** The repository or project, as the capabilities address it ("acme/website"). */
  readonly repository?: string | undefined;
  /** Who caused it (login or username). */
  readonly sender?: string | undefined;
}

/** A verified, deduplicated and normalized webhook event; the raw payload is kept. */
export interface NormalizedWebhookEvent extends NormalizedWebhookFields {
  readonly provider: string;
  readonly deliveryId: string;
  readonly providerEvent: string;
  /** ISO 8601 time the receiver accepted it. */
  readonly receivedAt: string;
  /** The parsed JSON body, unchanged. */
  readonly payload: unknown;
}

/**
 * The webhook part of a provider (`ProviderV1.webhooks`): how to verify an
 * inbound request and how to read its payload. The shared receiver in core
 * does the rest (raw-body handling, dedupe by delivery id, events).
 */
export interface ProviderWebhooks {
  /**
   * Checks the request's signature or token against `secret` in constant
   * time and returns its delivery id and event name. Throws an
   * `IntegrationError` of kind `auth` when a header is missing or the
   * signature does not match, naming which, never the secret.
   */
  verify(request: InboundWebhook, secret: string): VerifiedWebhook;
  /** Maps a verified payload (parsed JSON) to the normalized fields. */
  normalize(webhook: VerifiedWebhook, payload: unknown): NormalizedWebhookFields;
  /**
   * Reads the verified body. Default: UTF-8 JSON. Form-encoded schemes
   * (Slack interactivity's `payload=`, Twilio's status callbacks) parse it
   * here; throw a `validation` IntegrationError when it cannot be read.
   */
  parse?(webhook: VerifiedWebhook, rawBody: string): unknown;
  /**
   * The answer the sender expects for this event, when it is more than an
   * empty `200 OK`: Slack's `url_verification` challenge, Twilio's TwiML.
   * Default: none (answer 200 with an empty body).
   */
  reply?(event: NormalizedWebhookEvent): WebhookReply | undefined;
}
