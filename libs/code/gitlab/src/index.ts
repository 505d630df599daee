export {
  createGitlab,
  type GitlabCredentialSettings,
  type GitlabOAuth2Settings,
  type GitlabProvider,
  type GitlabProviderSettings,
} from './gitlab-provider';
export { VERSION } from './version';
