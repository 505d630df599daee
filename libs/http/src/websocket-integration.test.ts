import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHub, silentLogger, type Hub } from '@switchyard/core';
import { createCallContext } from '@switchyard/testing';
import { bearerAuth, createWebSocketIntegration, type WebSocketIntegration } from './index';

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** An unmasked server frame (FIN set) with the given opcode. */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x80 | opcode, length]) : Buffer.alloc(4);
  if (length >= 126 && length < 65_536) {
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else if (length >= 65_536) {
    throw new Error('test frames stay below 64 KiB');
  }
  return Buffer.concat([header, payload]);
}

interface TestWebSocketServer {
  readonly url: string;
  readonly upgrades: IncomingHttpHeaders[];
  readonly received: Record<string, unknown>[];
  /** Closes every open connection, as a server going away would. */
  dropConnections(): void;
  close(): Promise<void>;
}

type Reply = (message: Record<string, unknown>, send: (value: unknown) => void) => void;

/** A minimal RFC 6455 server over node:http 'upgrade': handshake, masked client text frames, unmasked replies, close. */
async function startWebSocketServer(reply: Reply): Promise<TestWebSocketServer> {
  const upgrades: IncomingHttpHeaders[] = [];
  const received: Record<string, unknown>[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_request, response) => response.writeHead(426).end());
  server.on('upgrade', (request, socket: Socket) => {
    upgrades.push(request.headers);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const accept = createHash('sha1')
      .update(`${String(request.headers['sec-websocket-key'])}${HANDSHAKE_GUID}`)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const send = (value: unknown): void => void socket.write(frame(0x1, Buffer.from(JSON.stringify(value))));
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const opcode = (buffered[0] ?? 0) & 0x0f;
        let length = (buffered[1] ?? 0) & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffered.length < 4) return;
          length = buffered.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffered.length < 10) return;
          length = Number(buffered.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffered.length < offset + 4 + length) return;
        const mask = buffered.subarray(offset, offset + 4);
        const payload = Buffer.from(buffered.subarray(offset + 4, offset + 4 + length).map((byte, index) => byte ^ (mask[index % 4] ?? 0)));
        buffered = buffered.subarray(offset + 4 + length);
        if (opcode === 0x8) {
          socket.end(frame(0x8, Buffer.alloc(0)));
          return;
        }
        if (opcode === 0x1) {
          const message = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
          received.push(message);
          reply(message, send);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/rpc`,
    upgrades,
    received,
    dropConnections: () => sockets.forEach((socket) => socket.destroy()),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const readOnly = { readOnly: true, destructive: false, idempotent: true };

function reply(message: Record<string, unknown>, send: (value: unknown) => void): void {
  const { id, method, params } = message as { id: number; method: string; params: Record<string, unknown> };
  switch (method) {
    case 'issues.get':
      // The slow issue answers after a later call, so responses arrive out of order.
      setTimeout(
        () => send({ jsonrpc: '2.0', id, result: { id: params.id, title: `Issue ${String(params.id)}` } }),
        params.id === 'slow' ? 80 : 0,
      );
      return;
    case 'issues.bad':
      send({ jsonrpc: '2.0', id, error: { code: -32602, message: 'Invalid params: id' } });
      return;
    case 'issues.shape':
      send({ jsonrpc: '2.0', id, result: { id: 7 } });
      return;
    case 'issues.hang':
      return;
    case 'issues.leak':
      send({ jsonrpc: '2.0', id, error: { code: -32000, message: 'the credential ws-secret-token may not read this' } });
      return;
    default:
      send({ jsonrpc: '2.0', id, error: { code: -32601, message: 'Method not found' } });
  }
}

describe('createWebSocketIntegration', () => {
  let server: TestWebSocketServer;
  let integration: WebSocketIntegration;
  let hub: Hub;
  const issue = z.object({ id: z.string(), title: z.string() });

  beforeAll(async () => {
    server = await startWebSocketServer(reply);
    integration = createWebSocketIntegration({
      id: 'acme-realtime',
      name: 'Acme Realtime',
      category: 'cloud',
      docsUrl: 'https://docs.acme.dev/ws',
      url: server.url,
      allowPrivateNetwork: true,
      auth: bearerAuth({ token: 'ws-secret-token' }),
      operations: {
        getIssue: {
          method: 'issues.get',
          input: z.object({ issueId: z.string().min(1) }),
          params: (input) => ({ id: input.issueId }),
          output: issue,
          hints: readOnly,
          description: 'Reads one issue',
        },
        badParams: { method: 'issues.bad', input: z.object({}), output: issue, hints: readOnly, description: 'Always invalid' },
        wrongShape: { method: 'issues.shape', input: z.object({}), output: issue, hints: readOnly, description: 'Answers the wrong shape' },
        hang: { method: 'issues.hang', input: z.object({}), output: issue, hints: readOnly, description: 'Never answers' },
        missing: { method: 'issues.nope', input: z.object({}), output: issue, hints: readOnly, description: 'Unknown to the server' },
        leak: { method: 'issues.leak', input: z.object({}), output: issue, hints: readOnly, description: 'Quotes the token in its error' },
      },
    });
    hub = createHub({ providers: [integration] });
  });

  afterAll(async () => {
    integration.close();
    await hub.close();
    await server.close();
  });

  it('sends a JSON-RPC request over one authenticated connection and returns the result', async () => {
    await expect(hub.callProviderOperation('acme-realtime', 'getIssue', { issueId: 'A-1' })).resolves.toEqual({
      id: 'A-1',
      title: 'Issue A-1',
    });
    expect(server.received.at(-1)).toMatchObject({ jsonrpc: '2.0', method: 'issues.get', params: { id: 'A-1' } });
    expect(server.upgrades[0]?.authorization).toBe('Bearer ws-secret-token');
    expect(hub.tools.get('acme_realtime_get_issue')?.annotations.readOnlyHint).toBe(true);
  });

  it('matches responses to calls by id when they arrive out of order', async () => {
    const connections = server.upgrades.length;
    const [slow, fast] = await Promise.all([
      hub.callProviderOperation('acme-realtime', 'getIssue', { issueId: 'slow' }),
      hub.callProviderOperation('acme-realtime', 'getIssue', { issueId: 'fast' }),
    ]);
    expect(slow).toEqual({ id: 'slow', title: 'Issue slow' });
    expect(fast).toEqual({ id: 'fast', title: 'Issue fast' });
    expect(server.upgrades.length).toBe(connections);
  });

  it('classifies JSON-RPC errors and names mismatched result fields', async () => {
    await expect(hub.callProviderOperation('acme-realtime', 'badParams', {})).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('Invalid params') as unknown,
    });
    await expect(hub.callProviderOperation('acme-realtime', 'missing', {})).rejects.toMatchObject({ kind: 'unsupported' });
    await expect(hub.callProviderOperation('acme-realtime', 'wrongShape', {})).rejects.toMatchObject({
      kind: 'provider',
      message: expect.stringContaining('field "id"') as unknown,
    });
  });

  it('redacts the token the connection was opened with from errors, through the hub or called directly', async () => {
    const viaHub = (await hub.callProviderOperation('acme-realtime', 'leak', {}).catch((caught: unknown) => caught)) as Error;
    const direct = (await integration.operations!.leak!.execute({}, createCallContext()).catch((caught: unknown) => caught)) as Error;
    for (const error of [viaHub, direct]) {
      expect(error.message).toContain('may not read this');
      expect(JSON.stringify(error)).not.toContain('ws-secret-token');
      expect(error.message).not.toContain('ws-secret-token');
    }
    expect(integration.secrets?.size).toBe(1);
  });

  it('times out at the call deadline and keeps the connection usable', async () => {
    const started = Date.now();
    await expect(hub.callProviderOperation('acme-realtime', 'hang', {}, { timeoutMs: 100 })).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(hub.callProviderOperation('acme-realtime', 'getIssue', { issueId: 'after' })).resolves.toMatchObject({ id: 'after' });
  });

  it('fails waiting calls with a network error when the connection drops, and reconnects on the next call', async () => {
    const connections = server.upgrades.length;
    const waiting = hub.callProviderOperation('acme-realtime', 'hang', {}, { timeoutMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.dropConnections();
    await expect(waiting).rejects.toMatchObject({ kind: 'network', isRetryable: true });
    await expect(hub.callProviderOperation('acme-realtime', 'getIssue', { issueId: 'again' })).resolves.toMatchObject({ id: 'again' });
    expect(server.upgrades.length).toBe(connections + 1);
  });

  it('rejects invalid input before sending anything', async () => {
    const sent = server.received.length;
    await expect(hub.callProviderOperation('acme-realtime', 'getIssue', { issueId: '' })).rejects.toMatchObject({ kind: 'validation' });
    expect(server.received.length).toBe(sent);
  });

  it('refuses a URL that is not ws:// or wss://', () => {
    expect(() =>
      createWebSocketIntegration({
        id: 'acme-realtime',
        name: 'Acme',
        category: 'cloud',
        docsUrl: 'https://docs.acme.dev',
        url: 'https://acme.dev/rpc',
        operations: {},
      }),
    ).toThrow(expect.objectContaining({ kind: 'validation', message: expect.stringContaining('ws://') as unknown }));
  });

  it('times out while the server never completes the handshake', async () => {
    const sockets = new Set<Socket>();
    const silent = createTcpServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const stuck = createWebSocketIntegration({
      id: 'acme-stuck',
      name: 'Acme Stuck',
      category: 'cloud',
      docsUrl: 'https://docs.acme.dev',
      url: `ws://127.0.0.1:${port}/rpc`,
      allowPrivateNetwork: true,
      operations: { hang: { method: 'issues.hang', input: z.object({}), output: issue, hints: readOnly, description: 'Never answers' } },
    });
    // Called directly, not through a hub, so the integration's own deadline handling is what ends the wait.
    const context = {
      signal: new AbortController().signal,
      attempt: 1,
      idempotencyKey: undefined,
      deadline: Date.now() + 100,
      logger: silentLogger,
    };
    try {
      await expect(stuck.operations!.hang!.execute({}, context)).rejects.toMatchObject({ kind: 'timeout' });
    } finally {
      stuck.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
