import type { FunctionInfo } from '@switchyard/core';
import { optionalText, record, responseSchema, text } from './azure-api';

/** The fields of an ARM `Microsoft.Web/sites/functions` envelope this provider reads. */
export interface FunctionEnvelope {
  /** "app/function", as ARM names child resources. */
  readonly name: string;
  readonly functionName: string | undefined;
  readonly invokeUrlTemplate: string | undefined;
  readonly language: string | undefined;
  readonly isDisabled: boolean;
}

/** Reads one function envelope; unknown fields are ignored. */
export function readFunctionEnvelope(value: unknown, path: readonly string[] = []): FunctionEnvelope {
  const envelope = record(value, path);
  const properties = envelope.properties === undefined || envelope.properties === null ? {} : record(envelope.properties, [...path, 'properties']);
  return {
    name: text(envelope.name, [...path, 'name']),
    functionName: optionalText(properties.name, [...path, 'properties', 'name']),
    invokeUrlTemplate: optionalText(properties.invoke_url_template, [...path, 'properties', 'invoke_url_template']),
    language: optionalText(properties.language, [...path, 'properties', 'language']),
    isDisabled: properties.isDisabled === true,
  };
}

/** {@link readFunctionEnvelope} as a response schema. */
export const functionEnvelopeSchema = responseSchema((value) => readFunctionEnvelope(value));

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * Maps an envelope to the contract's function: the name after "app/", the
 * language as runtime, `failed` when disabled (it cannot be invoked), else
 * `active`, and `invoke_url_template` as the URL.
 */
export function toFunctionInfo(envelope: FunctionEnvelope): FunctionInfo {
  const name = envelope.functionName ?? envelope.name.split('/').at(-1) ?? envelope.name;
  return {
    name,
    ...(envelope.language === undefined || envelope.language === '' ? {} : { runtime: envelope.language }),
    state: envelope.isDisabled ? 'failed' : 'active',
    ...(envelope.invokeUrlTemplate !== undefined && isHttpUrl(envelope.invokeUrlTemplate) ? { url: envelope.invokeUrlTemplate } : {}),
  };
}
