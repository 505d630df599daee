import { testProvider } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createGcp } from './index';

testProvider({ id: 'gcp', category: 'cloud', create: () => createGcp() });

describe('createGcp', () => {
  afterEach(() => {
    delete process.env.GCP_BASE_URL;
  });

  it('sends requests to the public API by default', () => {
    expect(createGcp().baseURL).toBe('https://api.gcp.example');
  });

  it('takes baseURL from settings, then GCP_BASE_URL, without trailing slashes', () => {
    process.env.GCP_BASE_URL = 'http://127.0.0.1:9/from-environment/';
    expect(createGcp().baseURL).toBe('http://127.0.0.1:9/from-environment');
    expect(createGcp({ baseURL: 'http://127.0.0.1:9/from-settings/' }).baseURL).toBe(
      'http://127.0.0.1:9/from-settings',
    );
  });
});
