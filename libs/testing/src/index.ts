export { VERSION } from './version';
export {
  testProvider,
  providerContractChecks,
  type ProviderContractCheck,
  type TestProviderOptions,
} from './test-provider';
