import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseResponse } from '@switchyard/http';
import { describe, expect, it } from 'vitest';
import { functionEnvelopeSchema, functionPageSchema, toFunctionInfo } from './azure-functions-api';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', name), 'utf8'));
}

const context = { provider: 'azure', operation: 'functions.getFunction' };

describe('reading Microsoft.Web function envelopes', () => {
  it('maps the documented envelope to the contract’s function', () => {
    expect(toFunctionInfo(parseResponse(functionEnvelopeSchema, fixture('functions-function-envelope.json'), context))).toEqual({
      name: 'MyFunction',
      runtime: 'node',
      state: 'active',
      url: 'https://funcapp123.azurewebsites.net/api/myfunction',
    });
  });

  it('reads a list page whose nextLink is null as the last page', () => {
    const page = parseResponse(functionPageSchema, fixture('functions-function-list.json'), context);
    expect({ names: page.value.map((item) => toFunctionInfo(item).name), nextLink: page.nextLink }).toEqual({
      names: ['create_cert'],
      nextLink: null,
    });
  });

  it('takes the name after "app/" when properties.name is absent', () => {
    expect(
      toFunctionInfo(parseResponse(functionEnvelopeSchema, { name: 'funcapp123/resize', properties: { isDisabled: true } }, context)),
    ).toEqual({ name: 'resize', state: 'failed' });
  });
});
