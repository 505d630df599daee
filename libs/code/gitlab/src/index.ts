export { createGitlab, type GitlabProvider, type GitlabProviderSettings } from './gitlab-provider';
export { VERSION } from './version';
