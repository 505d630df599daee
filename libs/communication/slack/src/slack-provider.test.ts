import { testProvider } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlack } from './index';

testProvider({ id: 'slack', category: 'communication', create: () => createSlack() });

describe('createSlack', () => {
  afterEach(() => {
    delete process.env.SLACK_BASE_URL;
  });

  it('sends requests to the public API by default', () => {
    expect(createSlack().baseURL).toBe('https://api.slack.example');
  });

  it('takes baseURL from settings, then SLACK_BASE_URL, without trailing slashes', () => {
    process.env.SLACK_BASE_URL = 'http://127.0.0.1:9/from-environment/';
    expect(createSlack().baseURL).toBe('http://127.0.0.1:9/from-environment');
    expect(createSlack({ baseURL: 'http://127.0.0.1:9/from-settings/' }).baseURL).toBe(
      'http://127.0.0.1:9/from-settings',
    );
  });
});
