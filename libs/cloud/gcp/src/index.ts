export { createGcp, type GcpProvider, type GcpProviderSettings } from './gcp-provider';
export { VERSION } from './version';
