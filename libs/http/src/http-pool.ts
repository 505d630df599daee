import type { Dispatcher, Pool } from 'undici';
import { publicOnlyLookup } from '@switchyard/core';
import { undici, type UndiciModule } from './undici-loader';

/** Default keep-alive pools, one per origin (and private-network setting), created on first use. */
const pools = new Map<string, Pool>();

/**
 * The shared keep-alive undici `Pool` for `origin`, created on first use and
 * reused by every client of that origin. Unless `allowPrivateNetwork`, its
 * connections resolve hosts through a lookup that refuses private addresses.
 * Idle sockets do not keep the process alive.
 *
 * The first call imports undici, so it returns a promise; once undici is
 * loaded the pool comes back synchronously.
 */
export function defaultPool(origin: string, allowPrivateNetwork: boolean): Dispatcher | Promise<Dispatcher> {
  const key = allowPrivateNetwork ? `${origin} private` : origin;
  const pool = pools.get(key);
  if (pool !== undefined) return pool;
  const loaded = undici.loaded();
  if (loaded !== undefined) return createPool(loaded, key, origin, allowPrivateNetwork);
  // Concurrent first calls all wait for the one import; the first to resume creates the pool, the others reuse it.
  return undici.load().then((module) => pools.get(key) ?? createPool(module, key, origin, allowPrivateNetwork));
}

function createPool(module: UndiciModule, key: string, origin: string, allowPrivateNetwork: boolean): Pool {
  const pool = new module.Pool(origin, {
    keepAliveTimeout: 10_000,
    ...(allowPrivateNetwork ? {} : { connect: { lookup: publicOnlyLookup } }),
  });
  pools.set(key, pool);
  return pool;
}

/**
 * Closes every default pool the clients created (waiting for requests in
 * flight), e.g. on shutdown. Later requests create new pools.
 */
export async function closeDefaultPools(): Promise<void> {
  const open = [...pools.values()];
  pools.clear();
  await Promise.all(open.map((pool) => pool.close()));
}
