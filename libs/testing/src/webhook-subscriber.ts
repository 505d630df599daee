import { createServer, type IncomingHttpHeaders } from 'node:http';
import { listenOnLoopback } from './loopback';

/** One request a {@link WebhookSubscriber} received, and what it answered. */
export interface ReceivedWebhook {
  /** Header names in lower case; repeated headers joined with `, `. */
  readonly headers: Record<string, string>;
  /** The raw body, as it must be given to `Webhook.verify`. */
  readonly body: string;
  /** The status answered (`0`: the connection was dropped, the subscriber being down). */
  readonly status: number;
}

/** What a subscriber answers a request: a status (optionally with headers), or `'down'` to drop the connection. */
export type WebhookAnswer = number | 'down' | { readonly status: number; readonly headers?: Record<string, string> };

/** A webhook subscriber on 127.0.0.1, from {@link startWebhookSubscriber}. */
export interface WebhookSubscriber {
  /** `http://127.0.0.1:<port>/hooks`. */
  readonly url: string;
  /** Every request so far, in arrival order. */
  readonly received: readonly ReceivedWebhook[];
  /** How many 2xx answers each `webhook-id` got. */
  acceptedById(): Map<string, number>;
  /** Replaces the answer function, e.g. to bring a subscriber that was down up. */
  answerWith(answer: (request: Omit<ReceivedWebhook, 'status'>, index: number) => WebhookAnswer): void;
  /** Stops listening and drops open connections. Safe to call twice. */
  close(): Promise<void>;
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value ?? '')]),
  );
}

/**
 * Starts a webhook subscriber on a free 127.0.0.1 port that records every
 * request and answers with `answer` (default `204`), after `delayMs` when
 * given (a slow subscriber). For tests of outbound webhooks.
 *
 * @example
 * ```ts
 * const subscriber = await startWebhookSubscriber({ answer: (_, index) => (index < 3 ? 500 : 200) });
 * ```
 */
export async function startWebhookSubscriber(
  options: {
    readonly answer?: (request: Omit<ReceivedWebhook, 'status'>, index: number) => WebhookAnswer;
    readonly delayMs?: number;
  } = {},
): Promise<WebhookSubscriber> {
  let answer = options.answer ?? (() => 204);
  const received: ReceivedWebhook[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen = { headers: flatten(request.headers), body: Buffer.concat(chunks).toString('utf8') };
      const decided = answer(seen, received.length);
      if (decided === 'down') {
        received.push({ ...seen, status: 0 });
        request.socket.destroy();
        return;
      }
      const { status, headers } = typeof decided === 'number' ? { status: decided, headers: {} } : decided;
      received.push({ ...seen, status });
      const reply = () => response.writeHead(status, headers).end();
      if (options.delayMs === undefined) reply();
      else setTimeout(reply, options.delayMs);
    });
  });
  const loopback = await listenOnLoopback(server);
  return {
    url: `${loopback.url}/hooks`,
    received,
    acceptedById() {
      const counts = new Map<string, number>();
      for (const request of received) {
        if (request.status < 200 || request.status >= 300) continue;
        const id = request.headers['webhook-id'] ?? '';
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      return counts;
    },
    answerWith(next) {
      answer = next;
    },
    close: loopback.close,
  };
}
