import { testProvider } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegram } from './index';

testProvider({ id: 'telegram', category: 'communication', create: () => createTelegram() });

describe('createTelegram', () => {
  afterEach(() => {
    delete process.env.TELEGRAM_BASE_URL;
  });

  it('sends requests to the public API by default', () => {
    expect(createTelegram().baseURL).toBe('https://api.telegram.example');
  });

  it('takes baseURL from settings, then TELEGRAM_BASE_URL, without trailing slashes', () => {
    process.env.TELEGRAM_BASE_URL = 'http://127.0.0.1:9/from-environment/';
    expect(createTelegram().baseURL).toBe('http://127.0.0.1:9/from-environment');
    expect(createTelegram({ baseURL: 'http://127.0.0.1:9/from-settings/' }).baseURL).toBe(
      'http://127.0.0.1:9/from-settings',
    );
  });
});
