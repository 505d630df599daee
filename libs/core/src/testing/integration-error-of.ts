import { IntegrationError } from '../errors/integration-error';

/**
 * Awaits `promise`, expecting it to reject with an IntegrationError, and
 * returns that error so a test can inspect its kind, message and attempts.
 * Throws if the promise resolves or rejects with anything else.
 *
 * @example
 * ```ts
 * expect((await integrationErrorOf(hub.storage.getObject(input))).kind).toBe('not_found');
 * ```
 */
export async function integrationErrorOf(promise: Promise<unknown>): Promise<IntegrationError> {
  let outcome: unknown;
  try {
    await promise;
  } catch (error) {
    outcome = error;
  }
  if (outcome === undefined) throw new Error('expected the call to fail, but it succeeded');
  if (!IntegrationError.isInstance(outcome)) throw new Error('expected an IntegrationError', { cause: outcome });
  return outcome;
}
