import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { armPage } from './azure-api';
import { functionEnvelopeSchema, readFunctionEnvelope, toFunctionInfo } from './azure-functions-api';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', name), 'utf8'));
}

describe('reading Microsoft.Web function envelopes', () => {
  it('maps the documented envelope to the contract’s function', () => {
    const parsed = functionEnvelopeSchema.safeParse(fixture('functions-function-envelope.json'));
    expect(parsed.success && toFunctionInfo(parsed.data)).toEqual({
      name: 'MyFunction',
      runtime: 'node',
      state: 'active',
      url: 'https://funcapp123.azurewebsites.net/api/myfunction',
    });
  });

  it('reads a list page whose nextLink is null as the last page', () => {
    const page = armPage(readFunctionEnvelope).safeParse(fixture('functions-function-list.json'));
    expect(page.success && { names: page.data.items.map((item) => toFunctionInfo(item).name), nextLink: page.data.nextLink }).toEqual({
      names: ['create_cert'],
      nextLink: undefined,
    });
  });

  it('takes the name after "app/" when properties.name is absent', () => {
    expect(toFunctionInfo(readFunctionEnvelope({ name: 'funcapp123/resize', properties: { isDisabled: true } }))).toEqual({ name: 'resize', state: 'failed' });
  });
});
