/*
 * Whether the price snapshot prices everything an environment's stacks use: the check of the user's
 * environments (test/support/user-environments.ts) and of the test fixtures (test/cost/coverage.test.ts).
 */
import { estimateCost, snapshotGaps, type StackJson } from './estimate';
import type { PriceSnapshot } from './prices';
import type { Usage } from './usage';

/**
 * One line per VM size, region or meter of the environment that the snapshot has no price for. A hand-sourced
 * snapshot covers only what could be sourced by hand, so the check holds environments to a refreshed one only
 * (`npm run prices -- --refresh`, which fetches every size and region the schema allows): until then it has
 * nothing to say, and test/cost/coverage.test.ts lists the hand-sourced snapshot's gaps instead.
 */
export function unpricedProblems(name: string, stacks: { platform: StackJson; apps?: StackJson }, usage: Usage, prices: PriceSnapshot): string[] {
  if (prices.coverage !== 'refreshed') return [];
  return snapshotGaps(estimateCost(stacks, usage, prices)).map((u) => `${name}: unpriced ${u.what}: ${u.why}`);
}
