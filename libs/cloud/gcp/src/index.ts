export {
  createGcp,
  type GcpComputeSettings,
  type GcpFunctionsSettings,
  type GcpProvider,
  type GcpProviderSettings,
  type GcpServiceAccountCredentials,
  type GcpStorageSettings,
} from './gcp-provider';
export { VERSION } from './version';
