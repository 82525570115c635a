import type { z } from 'zod';

/*
 * zod, loaded on first use: a synth whose environment files were all checked by an earlier run
 * (parse-cache.ts) never needs it, and loading it costs about 5 ms. The one place config/ loads zod.
 */
let loaded: typeof z | undefined;

/** zod, set up for one-shot parses. */
export function zod(): typeof z {
  if (!loaded) {
    // oxlint-disable-next-line typescript/no-require-imports -- loaded on first use, see above
    loaded = (require('zod') as typeof import('zod')).z;
    // zod compiles a function per object schema on its first parse (a JIT fast path). A synth parses a few
    // environment files once per process, so compiling costs more than it saves; jitless parses the same
    // values to the same results and issues. Set before any schema is built.
    loaded.config({ jitless: true });
  }
  return loaded;
}
