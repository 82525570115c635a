/** Label telling the Deployments of one release apart (blue/green/stable/canary/main); Azure Monitor sees it in KubePodInventory. */
export const TRACK_LABEL = 'photo-view.io/track';

/** Recommended labels of every object of an app instance. @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/ */
export function appLabels(name: string, instance: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': instance };
}

/** Whether every label of `selector` is on `labels`. */
export function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
