import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing as Kubernetes } from 'cdk8s';
import { Testing as Terraform } from '../../infra/cdktf';

/*
 * Testing apps for synths that stay in memory (Testing.synth, toJson): they never write their outdir, so
 * they share one per test file instead of Testing.app()'s new temporary folder each (cdktf also makes a
 * stacks/ folder in it). A test that writes files (app.synth()) takes Testing.app() and a folder of its own.
 */
let shared: string | undefined;
const sharedOutdir = () => (shared ??= fs.mkdtempSync(path.join(os.tmpdir(), 'in-memory-apps-')));

/** A cdktf app for Testing.synth. */
export const terraformTestApp = () => Terraform.app({ outdir: sharedOutdir() });

/** A cdk8s app for Testing.synth and toJson. */
export const kubernetesTestApp = () => Kubernetes.app({ outdir: sharedOutdir() });
