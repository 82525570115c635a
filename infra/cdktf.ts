/*
 * The app code's only import of the `cdktf` library. CDKTF is archived (0.21.0 is final); moving to a
 * fork such as CDK Terrain changes this file, package.json, and the two places outside the app code that
 * name the package (test/support/setup.ts, scripts/output.mjs; docs/architecture.md lists them).
 */
export { App, Aspects, AzurermBackend, Fn, LocalBackend, TerraformOutput, TerraformResource, TerraformStack, Testing, Token } from 'cdktf';
export type { IAspect, ITerraformDependable } from 'cdktf';
