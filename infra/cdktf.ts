/*
 * The only module that imports the `cdktf` library. CDKTF is archived (0.21.0 is final); moving to a
 * fork such as CDK Terrain is then a change of this file and of package.json.
 */
export { App, Aspects, AzurermBackend, Fn, LocalBackend, TerraformOutput, TerraformResource, TerraformStack, Testing, Token } from 'cdktf';
export type { IAspect, ITerraformDependable } from 'cdktf';
