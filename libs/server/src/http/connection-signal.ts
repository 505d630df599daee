import type { Socket } from 'node:net';

const signals = new WeakMap<Socket, AbortSignal>();

/**
 * A signal that aborts when the client's connection closes, so a caller
 * that hangs up stops the provider calls it no longer waits for. One per
 * connection, made on its first request: a keep-alive connection pays for
 * the controller and the listener once, not per request. (HTTP/1.1 serves
 * one request at a time per connection, so what it aborts is that request.)
 */
export function connectionSignal(socket: Socket): AbortSignal {
  let signal = signals.get(socket);
  if (signal === undefined) {
    const controller = new AbortController();
    socket.once('close', () => controller.abort());
    signal = controller.signal;
    signals.set(socket, signal);
  }
  return signal;
}
