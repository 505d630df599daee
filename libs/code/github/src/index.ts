export {
  createGithub,
  type GithubAppSettings,
  type GithubProvider,
  type GithubProviderSettings,
  type GithubVaultSettings,
} from './github-provider';
export { VERSION } from './version';
