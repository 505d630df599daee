import { testProvider } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitlab } from './index';

testProvider({ id: 'gitlab', category: 'code', create: () => createGitlab() });

describe('createGitlab', () => {
  afterEach(() => {
    delete process.env.GITLAB_BASE_URL;
  });

  it('sends requests to the public API by default', () => {
    expect(createGitlab().baseURL).toBe('https://api.gitlab.example');
  });

  it('takes baseURL from settings, then GITLAB_BASE_URL, without trailing slashes', () => {
    process.env.GITLAB_BASE_URL = 'http://127.0.0.1:9/from-environment/';
    expect(createGitlab().baseURL).toBe('http://127.0.0.1:9/from-environment');
    expect(createGitlab({ baseURL: 'http://127.0.0.1:9/from-settings/' }).baseURL).toBe(
      'http://127.0.0.1:9/from-settings',
    );
  });
});
