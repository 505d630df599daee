/** Starts the local peers @switchyard/azure is tested against; filled in with the provider. */
export {};
