import * as path from 'node:path';

/** Shared by project.test.ts and project.e2e.test.ts. */
export const ROOT = path.resolve(__dirname, '../..');
export const ENVIRONMENTS = ['dev', 'prod', 'staging'];
