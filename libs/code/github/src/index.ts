export { createGithub, type GithubProvider, type GithubProviderSettings } from './github-provider';
export { VERSION } from './version';
