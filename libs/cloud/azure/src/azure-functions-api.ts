import type { FunctionInfo } from '@switchyard/core';
import { z } from 'zod';
import { armPage } from './azure-arm';

/** The fields of an ARM `Microsoft.Web/sites/functions` envelope this provider reads. */
export const functionEnvelopeSchema = z.object({
  /** "app/function", as ARM names child resources. */
  name: z.string(),
  properties: z
    .object({
      name: z.string().nullish(),
      invoke_url_template: z.string().nullish(),
      language: z.string().nullish(),
      isDisabled: z.boolean().nullish(),
    })
    .nullish(),
});

/** A function envelope as {@link functionEnvelopeSchema} reads it. */
export type FunctionEnvelope = z.infer<typeof functionEnvelopeSchema>;

/** A list page of function envelopes. */
export const functionPageSchema = armPage(functionEnvelopeSchema);

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
  const properties = envelope.properties;
  const name = properties?.name ?? envelope.name.split('/').at(-1) ?? envelope.name;
  const url = properties?.invoke_url_template;
  return {
    name,
    ...(properties?.language ? { runtime: properties.language } : {}),
    state: properties?.isDisabled === true ? 'failed' : 'active',
    ...(url && isHttpUrl(url) ? { url } : {}),
  };
}
