export { createSlack, type SlackProvider, type SlackProviderSettings } from './slack-provider';
export { VERSION } from './version';
