import { testProvider } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createAzure } from './index';

testProvider({ id: 'azure', category: 'cloud', create: () => createAzure() });

describe('createAzure', () => {
  afterEach(() => {
    delete process.env.AZURE_BASE_URL;
  });

  it('sends requests to the public API by default', () => {
    expect(createAzure().baseURL).toBe('https://api.azure.example');
  });

  it('takes baseURL from settings, then AZURE_BASE_URL, without trailing slashes', () => {
    process.env.AZURE_BASE_URL = 'http://127.0.0.1:9/from-environment/';
    expect(createAzure().baseURL).toBe('http://127.0.0.1:9/from-environment');
    expect(createAzure({ baseURL: 'http://127.0.0.1:9/from-settings/' }).baseURL).toBe(
      'http://127.0.0.1:9/from-settings',
    );
  });
});
