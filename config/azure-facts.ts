/**
 * Facts about Azure that the config is validated against. Kept as data so that a new region or
 * VM family is a one-line change.
 */
import { closeVmSizes, VM_SIZES } from './vm-sizes';

/** Azure regions we allow, with the short code used in names and whether they offer availability zones. */
export const AZURE_REGIONS: Readonly<Record<string, { readonly short: string; readonly zones: boolean }>> = {
  australiacentral: { short: 'auc', zones: false },
  australiaeast: { short: 'aue', zones: true },
  australiasoutheast: { short: 'ause', zones: false },
  brazilsouth: { short: 'brs', zones: true },
  canadacentral: { short: 'cac', zones: true },
  canadaeast: { short: 'cae', zones: false },
  centralindia: { short: 'inc', zones: true },
  centralus: { short: 'cus', zones: true },
  eastasia: { short: 'ea', zones: true },
  eastus: { short: 'eus', zones: true },
  eastus2: { short: 'eus2', zones: true },
  francecentral: { short: 'frc', zones: true },
  francesouth: { short: 'frs', zones: false },
  germanywestcentral: { short: 'gwc', zones: true },
  italynorth: { short: 'itn', zones: true },
  japaneast: { short: 'jpe', zones: true },
  japanwest: { short: 'jpw', zones: false },
  koreacentral: { short: 'krc', zones: true },
  northcentralus: { short: 'ncus', zones: false },
  northeurope: { short: 'neu', zones: true },
  norwayeast: { short: 'nwe', zones: true },
  polandcentral: { short: 'plc', zones: true },
  southafricanorth: { short: 'san', zones: true },
  southcentralus: { short: 'scus', zones: true },
  southeastasia: { short: 'sea', zones: true },
  southindia: { short: 'ins', zones: false },
  spaincentral: { short: 'spc', zones: true },
  swedencentral: { short: 'sdc', zones: true },
  switzerlandnorth: { short: 'szn', zones: true },
  uaenorth: { short: 'uan', zones: true },
  uksouth: { short: 'uks', zones: true },
  ukwest: { short: 'ukw', zones: false },
  westcentralus: { short: 'wcus', zones: false },
  westeurope: { short: 'weu', zones: true },
  westus: { short: 'wus', zones: false },
  westus2: { short: 'wus2', zones: true },
  westus3: { short: 'wus3', zones: true },
};

/**
 * VM families we allow for node pools. Each allowed size, with its vCPUs, memory and local disks, is listed in
 * config/vm-sizes.ts; a name of another family is refused before that list is looked at.
 * @see https://learn.microsoft.com/azure/virtual-machines/vm-naming-conventions
 */
export const VM_FAMILIES: Readonly<Record<string, { readonly description: string }>> = {
  D: { description: 'general purpose' },
  E: { description: 'memory optimized' },
  F: { description: 'compute optimized' },
  L: { description: 'storage optimized' },
};

export const VM_SIZE_PATTERN = /^Standard_([A-Z]+)(\d+)(?:-\d+)?([a-z]*)_v(\d+)$/;

/** A VM size as the config holds it: its name and what it provides to Kubernetes, before AKS reservations. */
export interface VmSize {
  /** As Azure names it, e.g. Standard_D4ds_v5. */
  readonly name: string;
  readonly family: string;
  readonly vcpus: number;
  readonly memoryGiB: number;
  /** Local temp (resource) disk in GiB, 0 when the size has none. */
  readonly tempDiskGiB: number;
  /** Cache disk in GiB, where the size's series documents one. */
  readonly cacheDiskGiB?: number;
}

/** Parses a VM size name and looks it up in config/vm-sizes.ts; returns a reason string when the size is not allowed. */
export function parseVmSize(name: string): VmSize | string {
  const match = VM_SIZE_PATTERN.exec(name);
  if (!match) {
    return `must look like Standard_<family><vCPUs><features>_v<version>, e.g. Standard_D4ds_v5`;
  }
  const family = match[1];
  if (!VM_FAMILIES[family]) {
    return `VM family '${family}' is unknown; allowed families: ${Object.keys(VM_FAMILIES).join(', ')}`;
  }
  const facts = VM_SIZES.get(name);
  if (!facts) {
    return `unknown VM size '${name}'; close matches: ${closeVmSizes(name).join(', ')} (config/vm-sizes.ts lists the sizes)`;
  }
  return { name, family, ...facts };
}

/** AKS kube-reserved CPU by core count (millicores). @see https://learn.microsoft.com/azure/aks/node-resource-reservations */
const KUBE_RESERVED_CPU_MILLIS: ReadonlyArray<[number, number]> = [
  [1, 60],
  [2, 100],
  [4, 140],
  [8, 180],
  [16, 260],
  [32, 420],
  [64, 740],
];

/** Eviction threshold AKS sets on every node (memory.available<100Mi). */
const EVICTION_HARD_MIB = 100;

/** CPU and memory a node of this size offers to pods, after AKS reservations (AKS 1.29+ rules). */
export function allocatable(size: VmSize, maxPods: number): { cpuMillis: number; memoryMiB: number } {
  const reservedCpu = [...KUBE_RESERVED_CPU_MILLIS].reverse().find(([cores]) => size.vcpus >= cores)?.[1] ?? 60;
  const memoryMiB = size.memoryGiB * 1024;
  const reservedMemory = Math.min(20 * maxPods + 50, memoryMiB * 0.25) + EVICTION_HARD_MIB;
  return { cpuMillis: size.vcpus * 1000 - reservedCpu, memoryMiB: Math.floor(memoryMiB - reservedMemory) };
}
