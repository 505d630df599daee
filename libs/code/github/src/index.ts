export { createGithub, type GithubProvider } from './github-provider';
export type { GithubAppSettings, GithubProviderSettings, GithubVaultSettings } from './github-settings';
export { VERSION } from './version';
