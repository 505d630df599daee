import type { CapabilityContract, CapabilityHandlers, OperationHandler } from '@switchyard/core';
import { computeV1 } from '@switchyard/core/compute';
import { functionsV1 } from '@switchyard/core/functions';
import { storageV1 } from '@switchyard/core/storage';
import type { AwsCall, AwsClients } from './aws-clients';
import { ec2Handlers } from './aws-ec2';
import type { AwsErrors } from './aws-error';
import { lambdaHandlers } from './aws-lambda';
import { checkS3Input, s3Handlers } from './aws-s3';
import type { AwsCapability, ResolvedAwsSettings } from './aws-settings';

type Handler = (input: never, call: AwsCall) => Promise<unknown>;

interface CapabilityBinding {
  readonly contract: CapabilityContract;
  readonly handlers: Readonly<Record<string, Handler>>;
  /** Provider rules the contract does not cover; throws a `validation` error. */
  readonly check?: (operation: string, input: never, errors: AwsErrors) => void;
}

const BINDINGS: Readonly<Record<AwsCapability, CapabilityBinding>> = {
  storage: { contract: storageV1, handlers: s3Handlers, check: checkS3Input },
  functions: { contract: functionsV1, handlers: lambdaHandlers },
  compute: { contract: computeV1, handlers: ec2Handlers },
};

/**
 * A capability's handlers for `defineProvider`: each runs the capability's
 * own input check, then its handler with an {@link AwsCall}, and classifies
 * whatever the SDK throws (see `AwsErrors.fromSdk`).
 */
export function awsCapability(
  capability: AwsCapability,
  clients: AwsClients,
  settings: ResolvedAwsSettings,
  errors: AwsErrors,
): CapabilityHandlers {
  const { contract, handlers, check } = BINDINGS[capability];
  const adapted = Object.entries(handlers).map(([name, handler]): [string, OperationHandler] => {
    const operation = `${contract.name}.${name}`;
    return [
      name,
      async (input, { signal }) => {
        check?.(operation, input, errors);
        return handler(input, { clients, settings, errors, signal, operation }).catch((error: unknown) => {
          throw errors.fromSdk(error, operation);
        });
      },
    ];
  });
  return { contract, handlers: Object.fromEntries(adapted) };
}
