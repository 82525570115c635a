import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, loadEnvironmentFile, namingContext, registryLoginServer, resourceName } from '../../config';

/** Where the image of an environment goes; the keys are the image workflow's step outputs. */
export interface ImageTarget {
  readonly subscription: string;
  readonly registry: string;
  readonly 'login-server': string;
  readonly repository: string;
  readonly tag: string;
}

/**
 * The environment's registry (by the one naming function, as the platform stack and the chart use it),
 * repository, and the tag: the app's version in its package.json, so a release is a version bump.
 */
export function imageTarget(environmentsDir: string, environment: string, appPackageFile: string): ImageTarget {
  const file = path.join(environmentsDir, `${environment}.yaml`);
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such environment file; environments are the files in ${environmentsDir}/`);
  const env = loadEnvironmentFile(file);
  const naming = namingContext(env);
  const version: unknown = JSON.parse(fs.readFileSync(appPackageFile, 'utf8')).version;
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new InputError(`${appPackageFile}: version = ${JSON.stringify(version)}: must be a release version like 2.1.0 (it becomes the image tag)`);
  }
  return {
    subscription: env.subscriptionId,
    registry: resourceName('containerRegistry', naming),
    'login-server': registryLoginServer(naming),
    repository: env.app.imageRepository,
    tag: version,
  };
}
