import { inspect } from 'node:util';
import { REDACTED, redactText, type ProviderV1 } from '@switchyard/core';
import { expect } from 'vitest';

/**
 * Everything a value shows when a host prints it: `JSON.stringify` (an
 * object met again written as "[Circular]", since a contract's zod schemas
 * refer to themselves once used), `util.inspect` with hidden properties, and
 * its own property values. A test asserts a planted secret is in none of it,
 * e.g. that no provider holds a secret as a property.
 *
 * @example
 * ```ts
 * expect(printedForms(createAcme({ apiKey: PLANTED }))).not.toContain(PLANTED);
 * ```
 */
export function printedForms(value: unknown): string {
  const seen = new WeakSet<object>();
  const json = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== 'object' || item === null) return item;
    if (seen.has(item)) return '[Circular]';
    seen.add(item);
    return item;
  });
  const values = typeof value === 'object' && value !== null ? Object.values(value).filter((item) => typeof item === 'string') : [];
  return [json, inspect(value, { depth: 6, showHidden: true }), ...values].join('\n');
}

/**
 * Asserts that a provider keeps each planted secret where a hub can redact
 * it (its `secrets`) and shows it nowhere else: in no property and no
 * printed form (see {@link printedForms}).
 *
 * @example
 * ```ts
 * expectSecretsKeptPrivately(createAcme({ apiKey: PLANTED }), [PLANTED]);
 * ```
 */
export function expectSecretsKeptPrivately(provider: ProviderV1, planted: Iterable<string>): void {
  const shown = printedForms(provider);
  for (const secret of planted) {
    expect(shown, 'a printed form of the provider shows a planted secret').not.toContain(secret);
    expect(redactText(`sent ${secret}`, provider.secrets), 'the provider’s secrets do not hold a planted secret').toBe(`sent ${REDACTED}`);
  }
}
