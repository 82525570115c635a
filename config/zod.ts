import { z } from 'zod';

// zod compiles a function per object schema on its first parse (a JIT fast path). A synth parses a few
// environment files once per process, so compiling costs more than it saves; jitless parses the same
// values to the same results and issues. Set before any schema is built: config/ imports zod only here.
z.config({ jitless: true });

export { z };
