import type { CapabilityName, OperationContract } from '../capabilities/capability';
import type { AttemptRecord } from '../errors/integration-error';
import type { ExecuteOptions } from './router-options';

/** A capability operation the router can route, resolved once and cached. */
export interface OperationEntry {
  /** `capability.operation` */
  readonly key: string;
  readonly capability: CapabilityName;
  readonly operation: string;
  readonly contract: OperationContract;
}

/** One routed request: what every attempt of it shares. */
export interface RouteRequest {
  readonly id: number;
  readonly entry: OperationEntry;
  /** Input already parsed by the contract. */
  readonly input: unknown;
  /** Epoch ms by which every attempt and wait must end. */
  readonly deadline: number;
  readonly options: ExecuteOptions;
  /** The operation is idempotent, or the caller gave an idempotency key: it may be retried, and fail over after a timeout. */
  readonly idempotent: boolean;
  /** Failed (or skipped) attempts so far, in order. */
  readonly attempts: AttemptRecord[];
}

/** Reads `signal.aborted` through a call, so TypeScript does not narrow it across awaits. */
export function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
