/** Label telling the Deployments of one release apart (blue/green/stable/canary/main); Azure Monitor sees it in KubePodInventory. */
export const TRACK_LABEL = 'photo-view.io/track';

/**
 * On each track's Deployment, HPA and PDB: `serving` or `idle` once this config is applied. The apps
 * stack orders the apply by it (serving tracks before the Services, idle ones after), and reviewers see it.
 */
export const TRAFFIC_ANNOTATION = 'photo-view.io/traffic';

/**
 * On a serving track's PodDisruptionBudget: how many of its pods must be ready before the Services are
 * applied. A change of the number (a flip, a canary move) changes the PDB, so the apply waits for it.
 */
export const READY_BEFORE_TRAFFIC_ANNOTATION = 'photo-view.io/ready-before-traffic';

/** Recommended labels of every object of an app instance. @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/ */
export function appLabels(name: string, instance: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': instance };
}

/** Whether every label of `selector` is on `labels`. */
export function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
