/** What the memory store's repositories share. */

/** A map key made of several parts, unambiguous whatever the parts hold. */
export const compositeKey = (...parts: string[]): string => JSON.stringify(parts);

/** Orders strings by code unit, as the SQL stores' `COLLATE "C"` does. */
export const byText = (left: string, right: string): number => (left < right ? -1 : left > right ? 1 : 0);

/** Runs a synchronous body as an async method, so its errors reject instead of throwing. */
export const run = <Result>(body: () => Result): Promise<Result> => Promise.resolve().then(body);

/** Copies into and out of the store, so callers cannot change what it holds. */
export const copy = <Value>(value: Value): Value => structuredClone(value);
