import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrism, type Prism, type PrismExchange } from '@switchyard/testing';

/**
 * The server's tests through Prism (`SWITCHYARD_SERVER_VIA_PRISM=1`): Prism
 * in proxy mode, over the server's own OpenAPI document, in front of a
 * loopback forwarder that sends each request to the test server running now
 * (each test starts its own). Prism reports every exchange that breaks the
 * document in its `sl-violations` header; {@link conformanceProblems} keeps
 * those that matter.
 */
export interface PrismFront {
  readonly url: string;
  /** Sends what reaches the forwarder to this server from now on. */
  retarget(serverUrl: string): void;
  readonly exchanges: readonly PrismExchange[];
  readonly fetch: typeof fetch;
  stop(): Promise<void>;
}

/** Whether this run goes through Prism. */
export const VIA_PRISM = process.env.SWITCHYARD_SERVER_VIA_PRISM === '1';

async function startForwarder(): Promise<{ server: Server; url: string; retarget: (url: string) => void }> {
  let target: URL | undefined;
  const server = createServer((incoming, outgoing) => {
    if (target === undefined) {
      outgoing.writeHead(502).end();
      return;
    }
    const forwarded = httpRequest(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    retarget: (url) => {
      target = new URL(url);
    },
  };
}

/** Starts Prism in proxy mode over `document`, in front of a forwarder. */
export async function startPrismFront(document: Record<string, unknown>): Promise<PrismFront> {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-server-openapi-'));
  const spec = join(directory, 'openapi.json');
  writeFileSync(spec, JSON.stringify(document));
  const forwarder = await startForwarder();
  let prism: Prism;
  try {
    // errors: false — Prism reports violations in headers and passes the server's answer through, so a test of bad input still sees our 400.
    prism = await startPrism({ name: 'Switchyard server OpenAPI', spec, upstream: forwarder.url, errors: false, readyTimeoutMs: 60_000 });
  } catch (error) {
    forwarder.server.close();
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    url: prism.url,
    retarget: forwarder.retarget,
    exchanges: prism.exchanges,
    fetch: prism.fetch,
    async stop() {
      await prism.stop().catch(() => undefined);
      forwarder.server.closeAllConnections();
      await new Promise<void>((resolve) => forwarder.server.close(() => resolve()));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * The violations that say the server broke its document: every response
 * violation, and request violations of requests the server accepted (2xx/3xx).
 * A request a test sends broken on purpose (bad input, no key) is a request
 * violation by design; the server refusing it with a 4xx is what the document
 * says, so it does not count.
 */
export function conformanceProblems(exchanges: readonly PrismExchange[]): string[] {
  return exchanges.flatMap((exchange) =>
    exchange.violations
      .filter((violation) => violation.severity === undefined || violation.severity === 'Error')
      .filter((violation) => violation.location[0] === 'response' || exchange.status < 400)
      .map(
        (violation) => `${exchange.method} ${exchange.path} → ${exchange.status}: ${violation.location.join('.')}: ${violation.message}`,
      ),
  );
}
