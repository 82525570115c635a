export * from './schema';
export * from './load';
export * from './validate';
export * from './azure-facts';
export * from './naming';
export * from './secrets';
export * from './image';
export * from './kubernetes-versions';
