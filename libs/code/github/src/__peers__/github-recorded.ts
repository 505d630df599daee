import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** The token every @octokit/fixtures recording was normalized to. */
export const RECORDED_TOKEN = '0000000000000000000000000000000000000001';

/** A running {@link startRecordedGithub}. */
export interface RecordedGithub {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /**
   * Loads a scenario from `@octokit/fixtures` (a folder name under
   * `scenarios/api.github.com`) and returns the base URL that replays it.
   * Requests must match the recording exactly (method, path, query, body,
   * `accept` and `authorization`) and in order; anything else gets 404.
   */
  load(scenario: string): Promise<string>;
  close(): Promise<void>;
}

type Middleware = (request: unknown, response: unknown, next: () => void) => void;
interface ExpressApp {
  use(middleware: Middleware): void;
  listen(port: number, host: string, callback: () => void): Server;
}

/**
 * Serves recorded real api.github.com traffic: `@octokit/fixtures-server`'s
 * middleware mounted in an express app of our own, bound to 127.0.0.1 on a
 * free port (its CLI binds every interface). The recordings are replayed
 * through nock inside this process, which intercepts `node:http` only, so
 * Octokit's `fetch` to 127.0.0.1 is not affected.
 */
export async function startRecordedGithub(): Promise<RecordedGithub> {
  const { default: fixturesServer } = await import('@octokit/fixtures-server');
  // express is @octokit/fixtures-server's own dependency: resolve it from there.
  const express = createRequire(createRequire(import.meta.url).resolve('@octokit/fixtures-server/package.json'))(
    'express',
  ) as () => ExpressApp;
  const app = express();
  // Mounted once the port is known: the middleware writes its own URL into the fixtures it loads.
  const mounted: { middleware?: Middleware } = {};
  app.use((request, response, next) => (mounted.middleware === undefined ? next() : mounted.middleware(request, response, next)));
  const server = await new Promise<Server>((resolve) => {
    const listening: Server = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mounted.middleware = fixturesServer({ fixturesUrl: url, logLevel: 'silent', ttl: 60_000 });
  return {
    url,
    async load(scenario) {
      const response = await fetch(`${url}/fixtures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scenario }),
      });
      const answer = (await response.json()) as { url?: string; error?: string };
      if (!response.ok || answer.url === undefined)
        throw new Error(`@octokit/fixtures-server could not load "${scenario}": ${answer.error ?? response.status}`);
      return answer.url;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
