import type { ContainerContract } from '../constructs/web-app';

/**
 * What the photo-view image promises the chart. One place, so the app's own contract module can
 * replace these values with an import.
 */
export const PHOTO_VIEW_CONTRACT: ContainerContract = {
  port: 8080,
  livenessPath: '/healthz',
  readinessPath: '/readyz',
  runAsUser: 10001,
  settingsDirectory: '/etc/photo-view',
  secretsDirectory: '/mnt/secrets',
  terminationGracePeriodSeconds: 30,
};
