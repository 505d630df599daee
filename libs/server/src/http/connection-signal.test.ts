import { connect, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { connectionSignal } from './connection-signal';

describe('connectionSignal', () => {
  it('is one signal per connection, aborted when the client hangs up', async () => {
    const accepted: Socket[] = [];
    const server = createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    const client = connect({ host: '127.0.0.1', port: address.port });
    await expect.poll(() => accepted.length).toBe(1);
    const socket = accepted[0] as Socket;

    const signal = connectionSignal(socket);
    expect(connectionSignal(socket), 'the same for every request of the connection').toBe(signal);
    expect(signal.aborted).toBe(false);
    client.destroy();
    await expect.poll(() => signal.aborted).toBe(true);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
