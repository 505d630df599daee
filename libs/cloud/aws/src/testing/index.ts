/** Starts the local peers @switchyard/aws is tested against; filled in with the provider. */
export {};
