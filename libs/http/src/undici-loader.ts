import type * as Undici from 'undici';
import { lazyModule, type LazyModule } from '@switchyard/core/internal';

/** undici's module namespace. */
export type UndiciModule = typeof Undici;

/**
 * undici, imported on the first request, pool or `fetchThrough` call rather
 * than with the package: importing it costs about 75 ms and 27 MiB, which a
 * host that never sends a request should not pay.
 */
export const undici: LazyModule<UndiciModule> = lazyModule(() => import('undici'));
