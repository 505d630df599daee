import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server listening on a free 127.0.0.1 port (see {@link listenOnLoopback}). */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Drops open connections (keep-alive included) and stops listening. Safe to call twice. */
  readonly close: () => Promise<void>;
}

/**
 * Starts `server` (a fake, a shim, a pass-through) on a free port on
 * 127.0.0.1, never another interface, and gives its URL and a `close` that
 * does not wait for idle keep-alive connections.
 */
export async function listenOnLoopback(server: Server): Promise<LoopbackServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
