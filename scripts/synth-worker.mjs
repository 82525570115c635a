// One share of the environments of a large `npm run synth`, in a worker thread: runs the two CDK apps of
// the cached bundle with this worker's own CDKTF_OUTDIR, CDK8S_OUTDIR and SYNTH_ENVIRONMENTS (set by synth.mjs).
import { parentPort, workerData } from 'node:worker_threads';
import { runBundle } from './bundle.mjs';

try {
  runBundle(workerData.entry, workerData.root, workerData.entries);
  parentPort.postMessage({ ok: true });
} catch (error) {
  const plain = error instanceof Error ? error : new Error(String(error));
  parentPort.postMessage({ error: { name: plain.name, message: plain.message, stack: plain.stack, isInputError: plain.isInputError === true } });
}
