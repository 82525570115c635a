import { allocatable, parseVmSize, VM_SIZE_PATTERN, type VmSize } from '../../config';
import { EPHEMERAL_OS_DISK_MAX_GIB, ephemeralOsDiskPlacement, ephemeralOsDiskProblems, VM_SIZE_ROWS, VM_SIZES } from '../../config/vm-sizes';
import { configErrorOf, environment } from './fixtures';

/** A parsed size from the table; fails the test when the size is refused. */
function size(name: string): VmSize {
  const parsed = parseVmSize(name);
  if (typeof parsed === 'string') throw new Error(`${name} refused: ${parsed}`);
  return parsed;
}

describe('VM sizes come from a list', () => {
  it('refuses a size that does not exist, naming close matches', () => {
    expect(parseVmSize('Standard_D3ds_v5')).toBe(
      "unknown VM size 'Standard_D3ds_v5'; close matches: Standard_D2ds_v5, Standard_D4ds_v5, Standard_D8ds_v5 (config/vm-sizes.ts lists the sizes)",
    );
    const message = configErrorOf(() => environment('dev', { kubernetes: { userPool: { vmSize: 'Standard_D3ds_v5' } } }));
    expect(message).toContain(
      'kubernetes.userPool.vmSize = "Standard_D3ds_v5": unknown VM size \'Standard_D3ds_v5\'; close matches: Standard_D2ds_v5',
    );
  });

  it('refuses a version that does not exist, naming the versions that do', () => {
    const reason = parseVmSize('Standard_D4ds_v9');
    expect(reason).toMatch(
      /^unknown VM size 'Standard_D4ds_v9'; close matches: Standard_D4ds_v5, Standard_D4ds_v6, \S+ \(config\/vm-sizes\.ts lists the sizes\)$/,
    );
    const message = configErrorOf(() => environment('dev', { kubernetes: { systemPool: { vmSize: 'Standard_D4ds_v9' } } }));
    expect(message).toContain('kubernetes.systemPool.vmSize = "Standard_D4ds_v9": unknown VM size');
  });

  it('still refuses other families and malformed names first', () => {
    expect(parseVmSize('Standard_Q4s_v5')).toBe("VM family 'Q' is unknown; allowed families: D, E, F, L");
    expect(parseVmSize('large')).toMatch(/^must look like Standard_<family><vCPUs>/);
  });

  it('parses every size in the table, with the facts of the table', () => {
    for (const [name, facts] of VM_SIZES) {
      expect(parseVmSize(name)).toEqual({ name, family: VM_SIZE_PATTERN.exec(name)![1], ...facts });
    }
  });

  it('holds sane rows: positive vCPUs and memory, no negative disks, names of the accepted pattern and families', () => {
    expect(VM_SIZES.size).toBeGreaterThanOrEqual(100);
    for (const [name, facts] of VM_SIZES) {
      const match = VM_SIZE_PATTERN.exec(name);
      expect(match).not.toBeNull();
      expect(['D', 'E', 'F', 'L']).toContain(match![1]);
      // The vCPU count in the name is the size's vCPU count.
      expect([name, facts.vcpus]).toEqual([name, Number(match![2])]);
      expect(facts.memoryGiB).toBeGreaterThan(0);
      expect(facts.tempDiskGiB).toBeGreaterThanOrEqual(0);
      if (facts.cacheDiskGiB !== undefined) expect(facts.cacheDiskGiB).toBeGreaterThan(0);
      // A 'd' in the features is a local temp disk; no other listed size has one.
      expect([name, facts.tempDiskGiB > 0]).toEqual([name, match![3].includes('d') || match![1] === 'F' || match![1] === 'L']);
    }
    // A Map has unique keys by construction; the rows it is built from must not repeat a name either.
    const rowNames = VM_SIZE_ROWS.map(([name]) => name);
    expect(new Set(rowNames).size).toBe(rowNames.length);
    expect(VM_SIZES.size).toBe(rowNames.length);
  });

  it('keeps the memory of the shipped sizes, so allocatable resources (and synth output) do not change', () => {
    // Before the table, memory was 4 GiB per vCPU for the D family.
    for (const [name, vcpus] of [
      ['Standard_D2ds_v5', 2],
      ['Standard_D4ds_v5', 4],
      ['Standard_D8ds_v5', 8],
    ] as const) {
      const parsed = size(name);
      expect(parsed).toMatchObject({ name, family: 'D', vcpus, memoryGiB: vcpus * 4 });
      const before: VmSize = { name, family: 'D', vcpus, memoryGiB: vcpus * 4, tempDiskGiB: 0 };
      for (const maxPods of [30, 110, 250]) expect(allocatable(parsed, maxPods)).toEqual(allocatable(before, maxPods));
    }
    const prod = environment('prod').kubernetes;
    expect([prod.systemPool.vmSize.memoryGiB, prod.userPool.vmSize.memoryGiB]).toEqual([16, 32]);
  });
});

describe('ephemeral OS disks fit the VM', () => {
  it('accepts the shipped pools with the default 64 GiB Ephemeral OS disk', () => {
    for (const name of ['dev', 'staging', 'prod']) {
      const env = environment(name);
      expect(env.kubernetes.userPool.osDiskType).toBe('Ephemeral');
      expect(env.kubernetes.userPool.osDiskSizeGb).toBe(64);
    }
  });

  it('refuses an OS disk larger than the temp disk, naming the largest that fits', () => {
    const message = configErrorOf(() => environment('dev', { kubernetes: { userPool: { vmSize: 'Standard_D4ds_v5', osDiskSizeGb: 200 } } }));
    expect(message).toContain(
      'kubernetes.userPool.osDiskSizeGb = 200: an Ephemeral OS disk of 200 GiB does not fit on Standard_D4ds_v5 (at most 150 GiB on its temp disk); ' +
        "allowed: osDiskSizeGb up to 150, or osDiskType 'Managed'",
    );
    expect(environment('dev', { kubernetes: { userPool: { vmSize: 'Standard_D4ds_v5', osDiskSizeGb: 150 } } }).kubernetes.userPool.osDiskSizeGb).toBe(
      150,
    );
    expect(
      environment('dev', { kubernetes: { userPool: { vmSize: 'Standard_D4ds_v5', osDiskSizeGb: 200, osDiskType: 'Managed' } } }).kubernetes.userPool
        .osDiskType,
    ).toBe('Managed');
  });

  it('refuses an Ephemeral OS disk on a size without a local disk; Managed is accepted', () => {
    const message = configErrorOf(() => environment('dev', { kubernetes: { systemPool: { vmSize: 'Standard_D4s_v5' } } }));
    expect(message).toContain(
      'kubernetes.systemPool.osDiskType = "Ephemeral": Standard_D4s_v5 has no local disk (no cache or temp disk), so AKS cannot place an Ephemeral OS disk on it; ' +
        "allowed: 'Managed', or a size with a local disk such as Standard_D4ds_v5",
    );
    const env = environment('dev', { kubernetes: { systemPool: { vmSize: 'Standard_D4s_v5', osDiskType: 'Managed' } } });
    expect(env.kubernetes.systemPool.vmSize).toMatchObject({ name: 'Standard_D4s_v5', tempDiskGiB: 0 });
  });

  it('uses the cache disk where the series has one bigger than its temp disk', () => {
    expect(ephemeralOsDiskPlacement(size('Standard_F2s_v2'))).toEqual({ disk: 'cache disk', maxGiB: 32 });
    expect(
      environment('dev', { kubernetes: { userPool: { vmSize: 'Standard_F2s_v2', osDiskSizeGb: 32 } } }).kubernetes.userPool.vmSize.cacheDiskGiB,
    ).toBe(32);
    expect(configErrorOf(() => environment('dev', { kubernetes: { userPool: { vmSize: 'Standard_F2s_v2', osDiskSizeGb: 33 } } }))).toContain(
      'kubernetes.userPool.osDiskSizeGb = 33: an Ephemeral OS disk of 33 GiB does not fit on Standard_F2s_v2 (at most 32 GiB on its cache disk)',
    );
  });

  it("caps the OS disk at Azure's 2,040 GiB however big the local disk", () => {
    expect(ephemeralOsDiskPlacement(size('Standard_D96ds_v5'))).toEqual({ disk: 'temp disk', maxGiB: EPHEMERAL_OS_DISK_MAX_GIB });
    const problems = ephemeralOsDiskProblems(
      { vmSize: size('Standard_D96ds_v5'), osDiskType: 'Ephemeral', osDiskSizeGb: 2048 },
      'kubernetes.userPool',
    );
    expect(problems).toEqual([
      {
        path: 'kubernetes.userPool.osDiskSizeGb',
        message:
          "an Ephemeral OS disk of 2048 GiB does not fit on Standard_D96ds_v5 (at most 2040 GiB, Azure's limit for ephemeral OS disks); " +
          "allowed: osDiskSizeGb up to 2040, or osDiskType 'Managed'",
      },
    ]);
  });

  it('counts every local NVMe disk of a v6 size', () => {
    expect(ephemeralOsDiskPlacement(size('Standard_D16ds_v6'))).toEqual({ disk: 'temp disk', maxGiB: 880 });
    expect(ephemeralOsDiskProblems({ vmSize: size('Standard_D2s_v6'), osDiskType: 'Ephemeral', osDiskSizeGb: 64 }, 'p')).toEqual([
      expect.objectContaining({
        path: 'p.osDiskType',
        message: expect.stringContaining("allowed: 'Managed', or a size with a local disk such as Standard_D2ds_v6"),
      }),
    ]);
  });
});
