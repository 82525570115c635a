export * from './schema';
export * from './load';
export * from './validate';
export * from './azure-facts';
export * from './naming';
export * from './address-plan';
export * from './network';
export * from './network-validate';
