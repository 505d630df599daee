export { VERSION } from './version';
export { runCli, USAGE, type RunCliOptions } from './run-cli';
export { CliUsageError, type CliIo, type CliOutput } from './cli-io';
export { discoverProviderPackages, loadProvider, type ProviderPackage } from './provider-discovery';
export { DATABASE_URL_VARIABLE, DEMO_PROVIDER_IDS } from './cli-environment';
