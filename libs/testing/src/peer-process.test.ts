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
});
