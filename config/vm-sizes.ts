/**
 * The VM sizes a node pool may use: Linux node-pool sizes of the D, E, F and L families, with what each offers.
 * A size that is not listed here is refused by the config (config/azure-facts.ts parseVmSize), so a typo such as
 * `Standard_D3ds_v5` fails at `synth`, not at `terraform apply`. To allow another size, add its row from the
 * Microsoft page of its series.
 *
 * Source: Microsoft's size documentation, https://learn.microsoft.com/azure/virtual-machines/sizes/<category>/<series>-series
 * (text from the MicrosoftDocs/azure-compute-docs repository, articles/virtual-machines/sizes/), read 2026-12-05.
 * The page of each series and its own ms.date are named above its rows. Columns used: "vCPUs (Qty.)",
 * "Memory (GB)" (GiB; the pages use both labels for the same figures), and "Temp Disk Size (GiB)" on the
 * Local Storage tab (0 where the page says "No local storage present in this series").
 *
 * Ephemeral OS disks: AKS puts a node's OS disk on the VM's local storage: the cache disk if the OS disk fits there,
 * else the temp (resource) disk, or on v6 sizes the local NVMe disks; a size without local storage cannot have one.
 * The OS disk must not exceed that disk, and never 2,040 GiB.
 * @see https://learn.microsoft.com/azure/aks/concepts-storage#ephemeral-os-disk (MicrosoftDocs/azure-aks-docs, read 2026-12-05)
 * @see https://learn.microsoft.com/azure/virtual-machines/ephemeral-os-disks#size-requirements (ms.date 09/08/2026, read 2026-12-05):
 *   "Cache, temp, or NVMe disk size for the VM size or 2,040 GiB, whichever is smaller"; placement options
 *   "NVMe Disk Placement" (v6, e.g. Dadsv6, Ddsv6), "Temp Disk Placement" (e.g. Dadsv5, Ddsv5), "Cache Disk Placement" (e.g. Dsv2, Dsv3).
 */

/** What a VM size offers, as its series page documents it. */
export interface VmSizeFacts {
  readonly vcpus: number;
  readonly memoryGiB: number;
  /** Local temp (resource) storage in GiB, all disks together; 0 when the size has none. */
  readonly tempDiskGiB: number;
  /** Cache disk in GiB, only where the series page documents one (older series such as Fsv2). */
  readonly cacheDiskGiB?: number;
}

/** [name, vCPUs, memory GiB, temp disk GiB, cache disk GiB (only where documented)] */
export type VmSizeRow = readonly [name: string, vcpus: number, memoryGiB: number, tempDiskGiB: number, cacheDiskGiB?: number];

/** The rows as read from the pages; VM_SIZES is built from them. */
export const VM_SIZE_ROWS: ReadonlyArray<VmSizeRow> = [
  // sizes/general-purpose/ddsv5-series (ms.date 07/29/2024)
  ['Standard_D2ds_v5', 2, 8, 75],
  ['Standard_D4ds_v5', 4, 16, 150],
  ['Standard_D8ds_v5', 8, 32, 300],
  ['Standard_D16ds_v5', 16, 64, 600],
  ['Standard_D32ds_v5', 32, 128, 1200],
  ['Standard_D48ds_v5', 48, 192, 1800],
  ['Standard_D64ds_v5', 64, 256, 2400],
  ['Standard_D96ds_v5', 96, 384, 3600],
  // sizes/general-purpose/ddv5-series (ms.date 07/29/2024)
  ['Standard_D2d_v5', 2, 8, 75],
  ['Standard_D4d_v5', 4, 16, 150],
  ['Standard_D8d_v5', 8, 32, 300],
  ['Standard_D16d_v5', 16, 64, 600],
  ['Standard_D32d_v5', 32, 128, 1200],
  ['Standard_D48d_v5', 48, 192, 1800],
  ['Standard_D64d_v5', 64, 256, 2400],
  ['Standard_D96d_v5', 96, 384, 3600],
  // sizes/general-purpose/dadsv5-series (ms.date 03/10/2026)
  ['Standard_D2ads_v5', 2, 8, 75],
  ['Standard_D4ads_v5', 4, 16, 150],
  ['Standard_D8ads_v5', 8, 32, 300],
  ['Standard_D16ads_v5', 16, 64, 600],
  ['Standard_D32ads_v5', 32, 128, 1200],
  ['Standard_D48ads_v5', 48, 192, 1800],
  ['Standard_D64ads_v5', 64, 256, 2400],
  ['Standard_D96ads_v5', 96, 384, 3600],
  // sizes/general-purpose/dsv5-series (ms.date 02/27/2026): no local storage
  ['Standard_D2s_v5', 2, 8, 0],
  ['Standard_D4s_v5', 4, 16, 0],
  ['Standard_D8s_v5', 8, 32, 0],
  ['Standard_D16s_v5', 16, 64, 0],
  ['Standard_D32s_v5', 32, 128, 0],
  ['Standard_D48s_v5', 48, 192, 0],
  ['Standard_D64s_v5', 64, 256, 0],
  ['Standard_D96s_v5', 96, 384, 0],
  // sizes/general-purpose/dv5-series (ms.date 03/10/2026): no local storage
  ['Standard_D2_v5', 2, 8, 0],
  ['Standard_D4_v5', 4, 16, 0],
  ['Standard_D8_v5', 8, 32, 0],
  ['Standard_D16_v5', 16, 64, 0],
  ['Standard_D32_v5', 32, 128, 0],
  ['Standard_D48_v5', 48, 192, 0],
  ['Standard_D64_v5', 64, 256, 0],
  ['Standard_D96_v5', 96, 384, 0],
  // sizes/general-purpose/dasv5-series (ms.date 03/10/2026): no local storage
  ['Standard_D2as_v5', 2, 8, 0],
  ['Standard_D4as_v5', 4, 16, 0],
  ['Standard_D8as_v5', 8, 32, 0],
  ['Standard_D16as_v5', 16, 64, 0],
  ['Standard_D32as_v5', 32, 128, 0],
  ['Standard_D48as_v5', 48, 192, 0],
  ['Standard_D64as_v5', 64, 256, 0],
  ['Standard_D96as_v5', 96, 384, 0],
  // sizes/general-purpose/dsv6-series (ms.date 07/29/2024): no local storage
  ['Standard_D2s_v6', 2, 8, 0],
  ['Standard_D4s_v6', 4, 16, 0],
  ['Standard_D8s_v6', 8, 32, 0],
  ['Standard_D16s_v6', 16, 64, 0],
  ['Standard_D32s_v6', 32, 128, 0],
  ['Standard_D48s_v6', 48, 192, 0],
  ['Standard_D64s_v6', 64, 256, 0],
  ['Standard_D96s_v6', 96, 384, 0],
  ['Standard_D128s_v6', 128, 512, 0],
  ['Standard_D192s_v6', 192, 768, 0],
  // sizes/general-purpose/ddsv6-series (ms.date 07/29/2024): local NVMe temp disks; total = disks x "Temp Disk Size"
  // (e.g. D16ds_v6: 2 x 440), as the Dadsv6 page's footnote defines total local temporary storage.
  ['Standard_D2ds_v6', 2, 8, 110],
  ['Standard_D4ds_v6', 4, 16, 220],
  ['Standard_D8ds_v6', 8, 32, 440],
  ['Standard_D16ds_v6', 16, 64, 880],
  ['Standard_D32ds_v6', 32, 128, 1760],
  ['Standard_D48ds_v6', 48, 192, 2640],
  ['Standard_D64ds_v6', 64, 256, 3520],
  ['Standard_D96ds_v6', 96, 384, 5280],
  ['Standard_D128ds_v6', 128, 512, 7040],
  // sizes/general-purpose/dasv6-series (ms.date 03/10/2026): no local storage
  ['Standard_D2as_v6', 2, 8, 0],
  ['Standard_D4as_v6', 4, 16, 0],
  ['Standard_D8as_v6', 8, 32, 0],
  ['Standard_D16as_v6', 16, 64, 0],
  ['Standard_D32as_v6', 32, 128, 0],
  ['Standard_D48as_v6', 48, 192, 0],
  ['Standard_D64as_v6', 64, 256, 0],
  ['Standard_D96as_v6', 96, 384, 0],
  // sizes/general-purpose/dadsv6-series (ms.date 07/29/2024): local NVMe temp disks, total as above
  ['Standard_D2ads_v6', 2, 8, 110],
  ['Standard_D4ads_v6', 4, 16, 220],
  ['Standard_D8ads_v6', 8, 32, 440],
  ['Standard_D16ads_v6', 16, 64, 880],
  ['Standard_D32ads_v6', 32, 128, 1760],
  ['Standard_D48ads_v6', 48, 192, 2640],
  ['Standard_D64ads_v6', 64, 256, 3520],
  ['Standard_D96ads_v6', 96, 384, 5280],
  // sizes/memory-optimized/esv5-series (ms.date 03/10/2026): no local storage
  ['Standard_E2s_v5', 2, 16, 0],
  ['Standard_E4s_v5', 4, 32, 0],
  ['Standard_E8s_v5', 8, 64, 0],
  ['Standard_E16s_v5', 16, 128, 0],
  ['Standard_E20s_v5', 20, 160, 0],
  ['Standard_E32s_v5', 32, 256, 0],
  ['Standard_E48s_v5', 48, 384, 0],
  ['Standard_E64s_v5', 64, 512, 0],
  ['Standard_E96s_v5', 96, 672, 0],
  ['Standard_E104is_v5', 104, 672, 0],
  // sizes/memory-optimized/edsv5-series (ms.date 08/01/2024)
  ['Standard_E2ds_v5', 2, 16, 75],
  ['Standard_E4ds_v5', 4, 32, 150],
  ['Standard_E8ds_v5', 8, 64, 300],
  ['Standard_E16ds_v5', 16, 128, 600],
  ['Standard_E20ds_v5', 20, 160, 750],
  ['Standard_E32ds_v5', 32, 256, 1200],
  ['Standard_E48ds_v5', 48, 384, 1800],
  ['Standard_E64ds_v5', 64, 512, 2400],
  ['Standard_E96ds_v5', 96, 672, 3600],
  ['Standard_E104ids_v5', 104, 672, 3800],
  // sizes/memory-optimized/easv5-series (ms.date 03/10/2026): no local storage
  ['Standard_E2as_v5', 2, 16, 0],
  ['Standard_E4as_v5', 4, 32, 0],
  ['Standard_E8as_v5', 8, 64, 0],
  ['Standard_E16as_v5', 16, 128, 0],
  ['Standard_E20as_v5', 20, 160, 0],
  ['Standard_E32as_v5', 32, 256, 0],
  ['Standard_E48as_v5', 48, 384, 0],
  ['Standard_E64as_v5', 64, 512, 0],
  ['Standard_E96as_v5', 96, 672, 0],
  ['Standard_E112ias_v5', 112, 672, 0],
  // sizes/memory-optimized/eadsv5-series (ms.date 08/01/2024)
  ['Standard_E2ads_v5', 2, 16, 75],
  ['Standard_E4ads_v5', 4, 32, 150],
  ['Standard_E8ads_v5', 8, 64, 300],
  ['Standard_E16ads_v5', 16, 128, 600],
  ['Standard_E20ads_v5', 20, 160, 750],
  ['Standard_E32ads_v5', 32, 256, 1200],
  ['Standard_E48ads_v5', 48, 384, 1800],
  ['Standard_E64ads_v5', 64, 512, 2400],
  ['Standard_E96ads_v5', 96, 672, 3600],
  ['Standard_E112iads_v5', 112, 672, 3800],
  // sizes/compute-optimized/fsv2-series (ms.date 07/30/2024). Cache disk: the earlier Fsv2 page,
  // https://learn.microsoft.com/azure/virtual-machines/fsv2-series (MicrosoftDocs/azure-docs, ms.date 12/19/2022),
  // column "Max cached and temp storage throughput: IOPS/MBps (cache size in GiB)".
  ['Standard_F2s_v2', 2, 4, 16, 32],
  ['Standard_F4s_v2', 4, 8, 32, 64],
  ['Standard_F8s_v2', 8, 16, 64, 128],
  ['Standard_F16s_v2', 16, 32, 128, 256],
  ['Standard_F32s_v2', 32, 64, 256, 512],
  ['Standard_F48s_v2', 48, 96, 384, 768],
  ['Standard_F64s_v2', 64, 128, 512, 1024],
  ['Standard_F72s_v2', 72, 144, 576, 1520],
  // sizes/storage-optimized/lsv3-series (ms.date 07/31/2024): the SCSI temp disk only; the NVMe disks
  // (1.92 TB each) are for applications and are not counted here.
  ['Standard_L8s_v3', 8, 64, 80],
  ['Standard_L16s_v3', 16, 128, 160],
  ['Standard_L32s_v3', 32, 256, 320],
  ['Standard_L48s_v3', 48, 384, 480],
  ['Standard_L64s_v3', 64, 512, 640],
  ['Standard_L80s_v3', 80, 640, 800],
  // sizes/storage-optimized/lasv3-series (ms.date 07/31/2024): as Lsv3
  ['Standard_L8as_v3', 8, 64, 80],
  ['Standard_L16as_v3', 16, 128, 160],
  ['Standard_L32as_v3', 32, 256, 320],
  ['Standard_L48as_v3', 48, 384, 480],
  ['Standard_L64as_v3', 64, 512, 640],
  ['Standard_L80as_v3', 80, 640, 800],
];

/** Every size the config accepts, by its Azure name. */
export const VM_SIZES: ReadonlyMap<string, VmSizeFacts> = new Map(
  VM_SIZE_ROWS.map(([name, vcpus, memoryGiB, tempDiskGiB, cacheDiskGiB]): [string, VmSizeFacts] => [
    name,
    cacheDiskGiB === undefined ? { vcpus, memoryGiB, tempDiskGiB } : { vcpus, memoryGiB, tempDiskGiB, cacheDiskGiB },
  ]),
);

/** Azure's limit on an ephemeral OS disk, whatever the local disk. @see https://learn.microsoft.com/azure/virtual-machines/ephemeral-os-disks */
export const EPHEMERAL_OS_DISK_MAX_GIB = 2040;

/** Levenshtein distance, for naming close matches of a mistyped size. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Up to `count` listed sizes nearest to `name`: fewest edits, then nearest vCPU count, then the same family. */
export function closeVmSizes(name: string, count = 3): string[] {
  const vcpusOf = (n: string) => Number(/^Standard_[A-Z]+(\d+)/.exec(n)?.[1] ?? 0);
  const familyOf = (n: string) => /^Standard_([A-Z]+)/.exec(n)?.[1];
  const wanted = { vcpus: vcpusOf(name), family: familyOf(name) };
  return [...VM_SIZES.entries()]
    .map(([candidate, facts]) => ({
      candidate,
      key: [editDistance(name, candidate), Math.abs(facts.vcpus - wanted.vcpus), familyOf(candidate) === wanted.family ? 0 : 1],
    }))
    .sort((x, y) => x.key[0] - y.key[0] || x.key[1] - y.key[1] || x.key[2] - y.key[2] || x.candidate.localeCompare(y.candidate))
    .slice(0, count)
    .map((x) => x.candidate);
}

/** The disk AKS would put an ephemeral OS disk on, and the largest OS disk that fits; undefined when the size has no local disk. */
export function ephemeralOsDiskPlacement(size: {
  readonly tempDiskGiB: number;
  readonly cacheDiskGiB?: number;
}): { readonly disk: 'cache disk' | 'temp disk'; readonly maxGiB: number } | undefined {
  const cache = size.cacheDiskGiB ?? 0;
  if (cache === 0 && size.tempDiskGiB === 0) return undefined;
  const disk = cache >= size.tempDiskGiB ? 'cache disk' : 'temp disk';
  return { disk, maxGiB: Math.min(EPHEMERAL_OS_DISK_MAX_GIB, Math.max(cache, size.tempDiskGiB)) };
}

/** A node pool as far as its OS disk goes. */
interface OsDiskOfPool {
  readonly vmSize: { readonly name: string; readonly tempDiskGiB: number; readonly cacheDiskGiB?: number };
  readonly osDiskType: 'Ephemeral' | 'Managed';
  readonly osDiskSizeGb: number;
}

/** The same size with a local temp disk (`d` in its features), if listed: Standard_D4s_v5 -> Standard_D4ds_v5. */
function withLocalDisk(name: string): string | undefined {
  const match = /^(Standard_[A-Z]+\d+)([a-z]*)(_v\d+)$/.exec(name);
  if (!match || match[2].includes('d')) return undefined;
  const features = match[2].endsWith('s') ? `${match[2].slice(0, -1)}ds` : `${match[2]}d`;
  const candidate = `${match[1]}${features}${match[3]}`;
  return (VM_SIZES.get(candidate)?.tempDiskGiB ?? 0) > 0 ? candidate : undefined;
}

/**
 * An Ephemeral OS disk that AKS could not create: the size has no local disk, or the OS disk is larger than the disk
 * it would be placed on. `at` is the pool's path, e.g. `kubernetes.userPool`.
 */
export function ephemeralOsDiskProblems(pool: OsDiskOfPool, at: string): Array<{ path: string; message: string }> {
  if (pool.osDiskType !== 'Ephemeral') return [];
  const { name } = pool.vmSize;
  const placement = ephemeralOsDiskPlacement(pool.vmSize);
  if (!placement) {
    const alternative = withLocalDisk(name);
    return [
      {
        path: `${at}.osDiskType`,
        message:
          `${name} has no local disk (no cache or temp disk), so AKS cannot place an Ephemeral OS disk on it; ` +
          `allowed: 'Managed', or a size with a local disk${alternative ? ` such as ${alternative}` : ''}`,
      },
    ];
  }
  if (pool.osDiskSizeGb > placement.maxGiB) {
    const capped = placement.maxGiB === EPHEMERAL_OS_DISK_MAX_GIB ? `, Azure's limit for ephemeral OS disks` : ` on its ${placement.disk}`;
    return [
      {
        path: `${at}.osDiskSizeGb`,
        message:
          `an Ephemeral OS disk of ${pool.osDiskSizeGb} GiB does not fit on ${name} (at most ${placement.maxGiB} GiB${capped}); ` +
          `allowed: osDiskSizeGb up to ${placement.maxGiB}, or osDiskType 'Managed'`,
      },
    ];
  }
  return [];
}
