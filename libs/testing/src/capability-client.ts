import {
  IntegrationError,
  type CapabilityContract,
  type ErrorKind,
  type OperationInput,
  type OperationOutput,
  type ProviderV1,
} from '@switchyard/core';
import { createCallContext } from './call-context';

/** The name of one of a contract's operations, e.g. `'putObject'`. */
export type OperationName<Contract extends CapabilityContract> = keyof Contract['operations'] & string;

/**
 * Calls one provider through a capability contract the way the hub does:
 * input parsed by the operation's input schema, output checked against its
 * output schema. Every failure names the operation.
 */
export interface CapabilityClient<Contract extends CapabilityContract> {
  /** The provider under test. */
  readonly provider: ProviderV1;
  /**
   * Runs an operation and returns its checked output. Throws when the input
   * breaks the contract (a bug in the caller), when the provider throws, and
   * when the provider's output breaks the contract.
   */
  call<Name extends OperationName<Contract>>(
    operation: Name,
    input: OperationInput<Contract['operations'][Name]>,
  ): Promise<OperationOutput<Contract['operations'][Name]>>;
  /**
   * Runs an operation that must fail with an `IntegrationError` of `kind`, and
   * returns that error. Throws, naming the operation, when it succeeds or
   * fails any other way.
   */
  expectError<Name extends OperationName<Contract>>(
    operation: Name,
    input: OperationInput<Contract['operations'][Name]>,
    kind: ErrorKind,
  ): Promise<IntegrationError>;
}

const PREVIEW_LENGTH = 2000;

/** A short, safe rendering of any value for failure messages. */
export function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH)}…` : text;
}

function describeIssues(issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[]): string {
  return issues.map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`).join('; ');
}

/**
 * Awaits `promise` and returns the `IntegrationError` of `kind` it rejects
 * with. Throws an error starting with `label` when it resolves, rejects with
 * something else, or with another kind.
 */
export async function expectIntegrationError(promise: Promise<unknown>, kind: ErrorKind, label: string): Promise<IntegrationError> {
  let result: unknown;
  try {
    result = await promise;
  } catch (error) {
    if (!IntegrationError.isInstance(error)) {
      throw new Error(`${label} should fail with an IntegrationError of kind '${kind}', but threw ${String(error)}`, {
        cause: error,
      });
    }
    if (error.kind !== kind) {
      throw new Error(`${label} should fail with kind '${kind}', but failed with kind '${error.kind}': ${error.message}`, {
        cause: error,
      });
    }
    return error;
  }
  throw new Error(`${label} should fail with kind '${kind}', but succeeded with ${preview(result)}`);
}

/**
 * A {@link CapabilityClient} for `provider` under `contract`. Each call gets a
 * fresh {@link createCallContext} context.
 *
 * @example
 * ```ts
 * const storage = createCapabilityClient(storageV1, createMemoryStorageProvider());
 * await storage.call('createBucket', { bucket: 'reports' });
 * ```
 */
export function createCapabilityClient<Contract extends CapabilityContract>(
  contract: Contract,
  provider: ProviderV1,
): CapabilityClient<Contract> {
  const label = (operation: string) => `${contract.name}.${operation} (provider ${provider.manifest.id})`;

  async function call<Name extends OperationName<Contract>>(
    operation: Name,
    input: OperationInput<Contract['operations'][Name]>,
  ): Promise<OperationOutput<Contract['operations'][Name]>> {
    const operationContract = contract.operations[operation];
    if (operationContract === undefined) {
      throw new Error(`${label(operation)}: ${contract.name} v${contract.version} has no operation '${operation}'`);
    }
    const parsedInput = operationContract.input.safeParse(input);
    if (!parsedInput.success) {
      throw new Error(`${label(operation)}: the test's input breaks the contract: ${describeIssues(parsedInput.error.issues)}`);
    }
    const output = await provider.execute({ capability: contract.name, operation, input: parsedInput.data }, createCallContext());
    const parsedOutput = operationContract.output.safeParse(output);
    if (!parsedOutput.success) {
      throw new Error(
        `${label(operation)} returned output that breaks the contract: ${describeIssues(parsedOutput.error.issues)}; received ${preview(output)}`,
      );
    }
    return parsedOutput.data as OperationOutput<Contract['operations'][Name]>;
  }

  return {
    provider,
    call,
    expectError: (operation, input, kind) => expectIntegrationError(call(operation, input), kind, label(operation)),
  };
}
