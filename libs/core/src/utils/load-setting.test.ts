import { afterEach, describe, expect, it } from 'vitest';
import { loadOptionalSetting, withoutTrailingSlash } from '../index';

const environmentVariableName = 'SWITCHYARD_TEST_LOAD_SETTING';

describe('loadOptionalSetting', () => {
  afterEach(() => {
    delete process.env[environmentVariableName];
  });

  it('prefers the settings value over the environment', () => {
    process.env[environmentVariableName] = 'from-environment';
    expect(loadOptionalSetting({ settingValue: 'from-settings', environmentVariableName })).toBe('from-settings');
  });

  it('falls back to the environment variable, read at call time', () => {
    expect(loadOptionalSetting({ settingValue: undefined, environmentVariableName })).toBeUndefined();
    process.env[environmentVariableName] = 'from-environment';
    expect(loadOptionalSetting({ settingValue: undefined, environmentVariableName })).toBe('from-environment');
  });

  it('treats empty strings as absent', () => {
    process.env[environmentVariableName] = '';
    expect(loadOptionalSetting({ settingValue: '', environmentVariableName })).toBeUndefined();
  });
});

describe('withoutTrailingSlash', () => {
  it.each([
    ['https://api.example.com/', 'https://api.example.com'],
    ['https://api.example.com/v4//', 'https://api.example.com/v4'],
    ['https://api.example.com', 'https://api.example.com'],
  ])('turns %s into %s', (input, expected) => {
    expect(withoutTrailingSlash(input)).toBe(expected);
  });
});
