// One share of the environments of a large `npm run synth`, in a worker thread: runs the two CDK apps of
// the bundle with this worker's own CDKTF_OUTDIR, CDK8S_OUTDIR and SYNTH_ENVIRONMENTS (set by
// synth.mjs), then the policy gate's check of what they wrote; the check's result goes back to synth.mjs.
import { parentPort, workerData } from 'node:worker_threads';
import { loadBundle } from './bundle.mjs';

try {
  const bundle = loadBundle(workerData.entry);
  for (const name of workerData.entries) bundle.run(name);
  const gate = bundle.run(workerData.gate.entry).checkOutput(workerData.gate.options);
  parentPort.postMessage({ ok: true, gate });
} catch (error) {
  const plain = error instanceof Error ? error : new Error(String(error));
  parentPort.postMessage({ error: { name: plain.name, message: plain.message, stack: plain.stack, isInputError: plain.isInputError === true } });
}
