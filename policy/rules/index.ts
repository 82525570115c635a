import type { Rule } from '../model';
import { ACCESS_RULES } from './access';
import { AZURE_RULES } from './azure';
import { AZURE_POLICY_RULES } from './azure-policy';
import { CROSS_LAYER_RULES } from './cross-layer';
import { NETWORK_RULES } from './network';
import { POD_SECURITY_RULES } from './pod-security';
import { WORKLOAD_RULES } from './workloads';

/** Every rule, in the order reports list them. */
export const RULES: ReadonlyArray<Rule> = [
  ...POD_SECURITY_RULES,
  ...WORKLOAD_RULES,
  ...NETWORK_RULES,
  ...AZURE_RULES,
  ...CROSS_LAYER_RULES,
  ...AZURE_POLICY_RULES,
  ...ACCESS_RULES,
];
