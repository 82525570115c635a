// What the project's command-line scripts do with a parsed command line: a bad argument prints the error
// and the usage and exits 2; --help prints the usage and exits 0; otherwise the options come back.
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
