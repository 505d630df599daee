import { testProvider } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createTwilio } from './index';

testProvider({ id: 'twilio', category: 'communication', create: () => createTwilio() });

describe('createTwilio', () => {
  afterEach(() => {
    delete process.env.TWILIO_BASE_URL;
  });

  it('sends requests to the public API by default', () => {
    expect(createTwilio().baseURL).toBe('https://api.twilio.example');
  });

  it('takes baseURL from settings, then TWILIO_BASE_URL, without trailing slashes', () => {
    process.env.TWILIO_BASE_URL = 'http://127.0.0.1:9/from-environment/';
    expect(createTwilio().baseURL).toBe('http://127.0.0.1:9/from-environment');
    expect(createTwilio({ baseURL: 'http://127.0.0.1:9/from-settings/' }).baseURL).toBe(
      'http://127.0.0.1:9/from-settings',
    );
  });
});
