import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultServer, type FaultServer } from './fault-server';

function get(server: FaultServer, path: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request(`${server.url}${path}`, { method: 'GET' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: response.headers }),
      );
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('startFaultServer', () => {
  let server: FaultServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('plays a script per route, repeating the last answer, and records requests', async () => {
    server = await startFaultServer({ 'GET /limited': [{ status: 429, headers: { 'retry-after': '2' } }, { body: { ok: true } }] });
    expect((await get(server, '/limited')).status).toBe(429);
    const second = await get(server, '/limited?page=2');
    expect(second).toMatchObject({ status: 200, body: '{"ok":true}' });
    expect((await get(server, '/limited')).status).toBe(200);
    expect(server.requests.map((recorded) => recorded.path)).toEqual(['/limited', '/limited?page=2', '/limited']);
    expect(server.requests[1]!.query.get('page')).toBe('2');
  });

  it('answers unrouted paths with a JSON 404 and injects resets', async () => {
    server = await startFaultServer({ '/reset': { fault: 'reset' } });
    expect((await get(server, '/nowhere')).status).toBe(404);
    await expect(get(server, '/reset')).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('answers every other request from a "*" route, until it is removed', async () => {
    server = await startFaultServer({ '/known': { body: { ok: true } }, '*': { status: 401, body: { message: 'no' } } });
    expect((await get(server, '/known')).status).toBe(200);
    expect((await get(server, '/anything/else?x=1')).status).toBe(401);
    server.route('*', undefined);
    expect((await get(server, '/anything/else')).status).toBe(404);
  });

  it('closes even with a hanging request open', async () => {
    server = await startFaultServer({ '/hang': { fault: 'hang' } });
    const pending = get(server, '/hang').catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close();
    server = undefined;
    expect(await pending).toBeInstanceOf(Error);
  });
});
