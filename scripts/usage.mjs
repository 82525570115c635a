// Command-line plumbing shared by the project's scripts.

/**
 * What a script does with a parsed command line: a bad argument prints the error and the usage and exits 2;
 * --help prints the usage and exits 0; otherwise the options come back.
 */
export function optionsOrExit({ options, error }, usage) {
  if (error) {
    console.error(`${error}\n\n${usage}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(usage);
    process.exit(0);
  }
  return options;
}

/**
 * Ends a CDK script once stdout and stderr have flushed, with process.exitCode. Ending by itself, Node
 * first tears down the ~100 MB heap a synth leaves (about 15 ms of a 0.5 s run); process.exit() skips
 * that. Waiting for the flush keeps every line on platforms where writes to a pipe are asynchronous.
 */
export function exitWhenFlushed() {
  let pending = 2;
  const flushed = () => {
    if (--pending === 0) process.exit();
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
}
