import { Pool, type Dispatcher } from 'undici';
import { publicOnlyLookup } from './http-private-network';

/** Default keep-alive pools, one per origin (and private-network setting), created on first use. */
const pools = new Map<string, Pool>();

/**
 * The shared keep-alive undici `Pool` for `origin`, created on first use and
 * reused by every client of that origin. Unless `allowPrivateNetwork`, its
 * connections resolve hosts through a lookup that refuses private addresses.
 * Idle sockets do not keep the process alive.
 */
export function defaultPool(origin: string, allowPrivateNetwork: boolean): Dispatcher {
  const key = allowPrivateNetwork ? `${origin} private` : origin;
  let pool = pools.get(key);
  if (pool === undefined) {
    pool = new Pool(origin, {
      keepAliveTimeout: 10_000,
      ...(allowPrivateNetwork ? {} : { connect: { lookup: publicOnlyLookup } }),
    });
    pools.set(key, pool);
  }
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
