/** Starts the local peers @switchyard/gcp is tested against; filled in with the provider. */
export {};
