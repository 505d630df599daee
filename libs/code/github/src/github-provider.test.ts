import { testProvider } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createGithub } from './index';

testProvider({ id: 'github', category: 'code', create: () => createGithub() });

describe('createGithub', () => {
  afterEach(() => {
    delete process.env.GITHUB_BASE_URL;
  });

  it('sends requests to the public API by default', () => {
    expect(createGithub().baseURL).toBe('https://api.github.example');
  });

  it('takes baseURL from settings, then GITHUB_BASE_URL, without trailing slashes', () => {
    process.env.GITHUB_BASE_URL = 'http://127.0.0.1:9/from-environment/';
    expect(createGithub().baseURL).toBe('http://127.0.0.1:9/from-environment');
    expect(createGithub({ baseURL: 'http://127.0.0.1:9/from-settings/' }).baseURL).toBe(
      'http://127.0.0.1:9/from-settings',
    );
  });
});
