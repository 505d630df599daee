import type { CredentialRefreshEvent } from './oauth2-refresh';

/** Tells the router which providers have usable credentials (the credential vault implements it). */
export interface CredentialLookup {
  has(providerId: string): boolean;
  /** When present, the hub re-emits each OAuth2 refresh as `credential.refresh` (the vault implements it). */
  onRefresh?(listener: (event: CredentialRefreshEvent) => void): () => void;
}
