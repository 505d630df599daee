export { createAws, type AwsProvider, type AwsProviderSettings } from './aws-provider';
export { VERSION } from './version';
