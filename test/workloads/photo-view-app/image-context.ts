import * as fs from 'node:fs';
import * as path from 'node:path';

/** The image's build context, the app package it builds, and the environments it is pushed for (image.test.ts, image.e2e.test.ts). */
export const ROOT = path.resolve(__dirname, '../../..');
export const CONTEXT = path.join(ROOT, 'workloads/photo-view');
export const APP_PACKAGE = path.join(CONTEXT, 'app/package.json');
export const appPackage = JSON.parse(fs.readFileSync(APP_PACKAGE, 'utf8'));
export const ENVIRONMENTS = path.join(ROOT, 'test/fixtures/environments');
