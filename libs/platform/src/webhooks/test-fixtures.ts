import {
  headerValue,
  hmacSignature,
  IntegrationError,
  verifyHmacSignature,
  type HubEvents,
  type ProviderV1,
  type ProviderWebhooks,
  type WebhookEventType,
  type WebhookHeaders,
} from '@switchyard/core';
import { createMemoryStore } from '../store/memory-store';
import { createWebhookReceiver, type WebhookEvents, type WebhookReceiver, type WebhookReceiverOptions } from './webhook-receiver';

/** The provider id of {@link githubSchemeProvider}. */
export const TEST_PROVIDER_ID = 'test-github';

/** A planted secret: tests assert it never appears in errors or events. */
export const PLANTED_SECRET = 'planted-webhook-secret-5f1c9a7e';

function authFailure(message: string): IntegrationError {
  return new IntegrationError({ kind: 'auth', message, provider: TEST_PROVIDER_ID, statusCode: 401 });
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const EVENT_TYPES: Readonly<Record<string, WebhookEventType>> = {
  push: 'push',
  pull_request: 'pull_request',
  issues: 'issue',
  issue_comment: 'issue_comment',
};

/** GitHub's scheme as a provider would write it: X-Hub-Signature-256 over the raw body, X-GitHub-Delivery, X-GitHub-Event. */
export const githubSchemeWebhooks: ProviderWebhooks = {
  verify(request, secret) {
    const signature = headerValue(request.headers, 'X-Hub-Signature-256');
    if (signature === undefined) throw authFailure('the X-Hub-Signature-256 header is missing');
    if (!verifyHmacSignature({ secret, payload: request.rawBody, signature, algorithm: 'sha256', prefix: 'sha256=', encoding: 'hex' })) {
      throw authFailure('X-Hub-Signature-256 does not match the body');
    }
    const deliveryId = headerValue(request.headers, 'X-GitHub-Delivery');
    const providerEvent = headerValue(request.headers, 'X-GitHub-Event');
    if (deliveryId === undefined || deliveryId === '') throw authFailure('the X-GitHub-Delivery header is missing');
    if (providerEvent === undefined || providerEvent === '') throw authFailure('the X-GitHub-Event header is missing');
    return { deliveryId, providerEvent };
  },
  normalize(webhook, payload) {
    const body = record(payload);
    return {
      type: EVENT_TYPES[webhook.providerEvent] ?? 'other',
      action: typeof body.action === 'string' ? body.action : undefined,
      repository: typeof record(body.repository).full_name === 'string' ? (record(body.repository).full_name as string) : undefined,
      sender: typeof record(body.sender).login === 'string' ? (record(body.sender).login as string) : undefined,
    };
  },
};

/** A minimal provider with only {@link githubSchemeWebhooks}; `webhooks` may be replaced or dropped. */
export function githubSchemeProvider(overrides: Partial<Pick<ProviderV1, 'webhooks'>> & { readonly id?: string } = {}): ProviderV1 {
  const id = overrides.id ?? TEST_PROVIDER_ID;
  return {
    specificationVersion: 'v1',
    manifest: { id, name: id, category: 'code', docsUrl: 'https://example.com/docs', capabilities: [], authKinds: ['signature'] },
    execute: () => Promise.reject(new IntegrationError({ kind: 'unsupported', message: 'webhooks only', provider: id })),
    webhooks: 'webhooks' in overrides ? overrides.webhooks : githubSchemeWebhooks,
  };
}

/** Headers GitHub would send for `rawBody`, signed with `secret`. */
export function githubHeaders(
  rawBody: Uint8Array | string,
  options: { readonly secret?: string; readonly deliveryId?: string; readonly event?: string } = {},
): WebhookHeaders {
  return {
    'content-type': 'application/json',
    'x-github-event': options.event ?? 'issues',
    'x-github-delivery': options.deliveryId ?? '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    'x-hub-signature-256': hmacSignature({ secret: options.secret ?? PLANTED_SECRET, payload: rawBody, prefix: 'sha256=' }),
  };
}

/** One emitted event, as {@link receiverUnderTest} records them. */
export type RecordedWebhookEvent = {
  [Type in keyof WebhookEvents]: { readonly type: Type; readonly payload: HubEvents[Type] };
}[keyof WebhookEvents];

/** A receiver over a memory store with the GitHub-scheme provider, recording every event it emits. */
export function receiverUnderTest(options: Partial<WebhookReceiverOptions> = {}): {
  readonly receiver: WebhookReceiver;
  readonly events: RecordedWebhookEvent[];
} {
  const events: RecordedWebhookEvent[] = [];
  const receiver = createWebhookReceiver({
    providers: [githubSchemeProvider()],
    secret: () => PLANTED_SECRET,
    store: createMemoryStore(),
    events: { emit: (type, payload) => events.push({ type, payload } as RecordedWebhookEvent) },
    clock: () => Date.parse('2026-01-02T03:04:05.000Z'),
    ...options,
  });
  return { receiver, events };
}

/** What `promise` rejected with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<IntegrationError> {
  const outcome = await promise.then(
    (value) => ({ resolved: true as const, value }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  return outcome.error as IntegrationError;
}
