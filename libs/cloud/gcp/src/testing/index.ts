/**
 * Local peers `@switchyard/gcp` is tested against: `@switchyard/gcp/testing`.
 * Needs the dev dependency `firebase-tools` (exactly 15.34.2).
 */
export { startGcsEmulator, type GcsEmulator, type GcsEmulatorOptions } from './gcs-emulator';
