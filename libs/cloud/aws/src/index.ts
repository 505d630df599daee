export {
  createAws,
  type AwsCapability,
  type AwsCredentials,
  type AwsProvider,
  type AwsProviderSettings,
  type EC2Config,
  type LambdaConfig,
  type S3Config,
} from './aws-provider';
export { VERSION } from './version';
