import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findFreePort, startPeerProcess } from './peer-process';

const node = process.execPath;
const httpServerScript = (port: number) =>
  `require('node:http').createServer((_, response) => response.end('ok')).listen(${port}, '127.0.0.1')`;

describe('startPeerProcess', () => {
  it('starts a peer on a free loopback port, waits until it answers, and stops it', async () => {
    const peer = await startPeerProcess({
      name: 'tiny-http',
      command: node,
      args: (port) => ['-e', httpServerScript(port)],
      readyPath: '/',
    });
    expect(peer.url).toBe(`http://127.0.0.1:${peer.port}`);
    expect(await (await fetch(peer.url)).text()).toBe('ok');
    await peer.stop();
    await expect(fetch(peer.url)).rejects.toThrow();
    await peer.stop();
  });

  it('names the peer and the install hint when the command is missing', async () => {
    await expect(
      startPeerProcess({ name: 'moto_server', command: 'no-such-peer-binary', args: () => [], missingHint: 'Install moto[server].' }),
    ).rejects.toThrow('moto_server is not installed: "no-such-peer-binary" was not found. Install moto[server].');
  });

  it('reports the output of a peer that exits before it is ready', async () => {
    await expect(
      startPeerProcess({ name: 'crashing', command: node, args: () => ['-e', 'console.error("bad flag"); process.exit(3)'] }),
    ).rejects.toThrow(/crashing exited before it was ready \(code 3[\s\S]*bad flag/);
  });

  it('gives up after readyTimeoutMs', async () => {
    const port = await findFreePort();
    await expect(
      startPeerProcess({ name: 'silent', command: node, args: () => ['-e', 'setTimeout(() => {}, 60000)'], port, readyTimeoutMs: 300 }),
    ).rejects.toThrow(`silent was not ready on http://127.0.0.1:${port} within 300 ms`);
  });

  // A peer that says when it listens, and says nothing but exits when its port is taken (as Prism does).
  const quietPeerScript = (port: number) =>
    `const s = require('node:http').createServer((_, r) => r.end('ours')); s.on('error', () => process.exit(1)); s.listen(${port}, '127.0.0.1', () => console.log('listening on ${port}'))`;

  it('never takes another process on its port for the peer: with readyOutput it waits for the peer to say it listens', async () => {
    const port = await findFreePort();
    const thief: Server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => thief.listen(port, '127.0.0.1', resolve));
    try {
      await expect(
        startPeerProcess({
          name: 'quiet',
          command: node,
          args: (given) => ['-e', quietPeerScript(given)],
          port,
          readyOutput: /listening on/,
        }),
      ).rejects.toThrow(/quiet exited before it was ready \(code 1/);
    } finally {
      await new Promise((resolve) => thief.close(resolve));
    }
  });

  it('tries another free port when the one it chose is taken before the peer binds it', async () => {
    const taken: number[] = [];
    const thieves: Server[] = [];
    const peer = await startPeerProcess({
      name: 'quiet',
      command: node,
      args: (port) => {
        if (taken.length === 0) {
          // Steal the first port, synchronously, before the peer can bind it.
          taken.push(port);
          thieves.push(createServer((socket) => socket.end()).listen(port));
        }
        return ['-e', quietPeerScript(port)];
      },
      readyOutput: /listening on/,
    });
    try {
      expect(peer.port).not.toBe(taken[0]);
      expect(await (await fetch(peer.url)).text()).toBe('ours');
    } finally {
      await peer.stop();
      await Promise.all(thieves.map((thief) => new Promise((resolve) => thief.close(resolve))));
    }
  });
});
