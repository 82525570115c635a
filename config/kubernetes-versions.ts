/**
 * Kubernetes minor versions on AKS, with the end of their AKS support. AKS supports a minor version for
 * 12 months after its AKS GA; past the end only the Premium tier with Long-Term Support keeps it, which
 * this project does not configure, so a new cluster at such a version cannot be created.
 * A version not listed is one AKS does not offer (e.g. 1.99, 1.0). Add a row when AKS announces a version.
 * @see https://learn.microsoft.com/azure/aks/supported-kubernetes-versions#aks-kubernetes-release-calendar
 * @see https://kubernetes.io/releases/
 */
export const AKS_KUBERNETES_VERSIONS: ReadonlyArray<{ readonly minor: string; readonly endOfSupport: string }> = [
  // The calendar gives months; support ends with the last day of the month it names.
  { minor: '1.31', endOfSupport: '2025-11-30' },
  { minor: '1.32', endOfSupport: '2026-03-31' },
  { minor: '1.33', endOfSupport: '2026-07-31' },
  { minor: '1.34', endOfSupport: '2026-11-30' },
  { minor: '1.35', endOfSupport: '2027-03-31' },
  { minor: '1.36', endOfSupport: '2027-06-30' },
  { minor: '1.37', endOfSupport: '2027-10-31' },
];

/** How long before the end of support synth starts warning. */
const END_OF_SUPPORT_WARNING_DAYS = 60;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The minor version of `1.36` or `1.36.2`. */
export const minorOf = (version: string): string => version.split('.').slice(0, 2).join('.');

/**
 * Why a version is not one AKS offers (a minor version missing from the calendar above), or undefined.
 * A function of the version alone: config loading and synth use it, whatever the date.
 */
export function unknownVersionProblem(version: string): string | undefined {
  const minor = minorOf(version);
  if (AKS_KUBERNETES_VERSIONS.some((v) => v.minor === minor)) return undefined;
  return `Kubernetes ${minor} is not a version AKS offers; the AKS calendar (config/kubernetes-versions.ts) lists ${AKS_KUBERNETES_VERSIONS.map((v) => v.minor).join(', ')}`;
}

/** Minor versions AKS supports on `today`, oldest first. */
export function supportedMinors(today: Date): string[] {
  return AKS_KUBERNETES_VERSIONS.filter((v) => Date.parse(`${v.endOfSupport}T23:59:59Z`) >= today.getTime()).map((v) => v.minor);
}

/**
 * What AKS says about a version on `today`: a reason to refuse it, a warning, or nothing. Only
 * `npm run validate` refuses on this verdict (it is given the date); synth prints it as a warning.
 */
export function kubernetesVersionStatus(version: string, today: Date): { readonly problem?: string; readonly warning?: string } {
  const minor = minorOf(version);
  const row = AKS_KUBERNETES_VERSIONS.find((v) => v.minor === minor);
  const supported = supportedMinors(today);
  const day = today.toISOString().slice(0, 10);
  const allowed =
    supported.length > 0
      ? `AKS supports ${supported.join(', ')} on ${day}`
      : `no version in config/kubernetes-versions.ts is supported on ${day}; add the versions AKS has announced since`;
  if (!row) return { problem: `Kubernetes ${minor} is not a version AKS offers; ${allowed}` };
  const end = Date.parse(`${row.endOfSupport}T23:59:59Z`);
  if (end < today.getTime()) {
    return {
      problem: `Kubernetes ${minor} left AKS support on ${row.endOfSupport}; a cluster cannot be created at it (only Premium with Long-Term Support keeps it); ${allowed}`,
    };
  }
  const daysLeft = Math.floor((end - today.getTime()) / DAY_MS);
  if (daysLeft <= END_OF_SUPPORT_WARNING_DAYS) {
    return {
      warning: `Kubernetes ${minor} leaves AKS support on ${row.endOfSupport} (in ${daysLeft} days); upgrade to a newer minor version (${allowed})`,
    };
  }
  return {};
}
