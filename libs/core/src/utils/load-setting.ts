/** Options for {@link loadOptionalSetting}. */
export interface LoadOptionalSettingOptions {
  /** The value passed in settings; it wins when it is set. */
  readonly settingValue: string | undefined;
  /** The environment variable read when the setting is absent, e.g. `GITHUB_BASE_URL`. */
  readonly environmentVariableName: string;
}

/**
 * Resolves an optional setting: the settings value, else the environment
 * variable, else `undefined`. The environment is read when this is called,
 * never at import, so providers resolve settings lazily. Empty strings count
 * as absent.
 *
 * @example
 * ```ts
 * const baseURL =
 *   loadOptionalSetting({ settingValue: settings.baseURL, environmentVariableName: 'ACME_BASE_URL' }) ??
 *   'https://api.acme.example';
 * ```
 */
export function loadOptionalSetting(options: LoadOptionalSettingOptions): string | undefined {
  if (options.settingValue !== undefined && options.settingValue !== '') return options.settingValue;
  const fromEnvironment = process.env[options.environmentVariableName];
  return fromEnvironment === undefined || fromEnvironment === '' ? undefined : fromEnvironment;
}

/** Returns `url` without trailing slashes, so paths can be appended with one `/`. */
export function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
