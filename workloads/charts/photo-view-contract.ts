import type { ContainerContract } from '../constructs/web-app';

/**
 * What the photo-view image promises the chart. One place, with the field names of the app's own
 * contract module, so that module can replace this file with an import.
 */
export const PHOTO_VIEW_CONTRACT: ContainerContract = {
  port: 8080,
  livenessPath: '/healthz',
  readinessPath: '/readyz',
  uid: 10001,
  settingsMountPath: '/etc/photo-view',
  secretsMountPath: '/mnt/secrets',
  tmpMountPath: '/tmp',
  terminationGracePeriodSeconds: 30,
  preStopDelaySeconds: 5,
};
