import { testProvider } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createGithub } from './index';

testProvider({ id: 'github', category: 'code', create: () => createGithub() });

// The issues contract suite runs in github-prism.test.ts: through Prism serving GitHub's official OpenAPI
// description, in front of the wire-protocol fake.

describe('createGithub settings', () => {
  const saved = { GITHUB_API_URL: process.env.GITHUB_API_URL, GITHUB_TOKEN: process.env.GITHUB_TOKEN };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('sends requests to api.github.com by default', () => {
    delete process.env.GITHUB_API_URL;
    expect(createGithub().baseURL).toBe('https://api.github.com');
  });

  it('takes baseURL from settings, then GITHUB_API_URL, without trailing slashes', () => {
    process.env.GITHUB_API_URL = 'http://127.0.0.1:9/from-environment/';
    expect(createGithub().baseURL).toBe('http://127.0.0.1:9/from-environment');
    expect(createGithub({ baseURL: 'http://127.0.0.1:9/from-settings/' }).baseURL).toBe('http://127.0.0.1:9/from-settings');
  });

  it('is configured with a token from settings or GITHUB_TOKEN, or an app, and not without', () => {
    delete process.env.GITHUB_TOKEN;
    expect(createGithub().isConfigured()).toBe(false);
    expect(createGithub({ token: 'ghp_from_settings_0123456789' }).isConfigured()).toBe(true);
    process.env.GITHUB_TOKEN = 'ghp_from_environment_0123456789';
    expect(createGithub().isConfigured()).toBe(true);
    delete process.env.GITHUB_TOKEN;
    expect(createGithub({ app: { appId: 1, privateKey: 'not-used-yet', installationId: 2 } }).isConfigured()).toBe(true);
  });

  it('offers issues and repositories v1, and the webhook operations', () => {
    const github = createGithub();
    expect(github.manifest.capabilities.map((capability) => `${capability.name}@${capability.version}`)).toEqual([
      'issues@1',
      'repositories@1',
    ]);
    expect(Object.keys(github.operations)).toEqual(['createWebhook', 'listWebhooks', 'deleteWebhook']);
  });
});
