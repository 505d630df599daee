import { testProvider } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createAws } from './index';

testProvider({ id: 'aws', category: 'cloud', create: () => createAws() });

describe('createAws', () => {
  afterEach(() => {
    delete process.env.AWS_BASE_URL;
  });

  it('sends requests to the public API by default', () => {
    expect(createAws().baseURL).toBe('https://api.aws.example');
  });

  it('takes baseURL from settings, then AWS_BASE_URL, without trailing slashes', () => {
    process.env.AWS_BASE_URL = 'http://127.0.0.1:9/from-environment/';
    expect(createAws().baseURL).toBe('http://127.0.0.1:9/from-environment');
    expect(createAws({ baseURL: 'http://127.0.0.1:9/from-settings/' }).baseURL).toBe(
      'http://127.0.0.1:9/from-settings',
    );
  });
});
