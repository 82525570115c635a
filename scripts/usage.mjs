// Command-line plumbing shared by the project's scripts. Every npm script that takes options reads them
// with parseArgs and, before doing anything else, answers --help (-h) with its usage on stdout (exit 0)
// and refuses a bad argument with one line on stderr that names the script and points to --help (exit 2).

/**
 * Reads a command line by `spec`, which says what each option takes: 'flag' (nothing), 'value' (one
 * value: `--name VALUE` or `--name=VALUE`) or the list of the values allowed. --help and -h are always
 * known. An unknown option, a missing value, a value option given twice and, unless `operands` allows
 * them, an argument that is no option are errors.
 * Returns `{ options, operands }`, options by name in camelCase (`--fail-on` is `failOn`), or `{ error }`:
 * one line, without the script's name.
 */
export function parseArgs(args, spec, { operands: allowOperands = false } = {}) {
  const options = { help: false };
  const operands = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      options.help = true;
      continue;
    }
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const takes = Object.hasOwn(spec, name) ? spec[name] : undefined;
    const key = name.replace(/^--/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase());
    if (takes === undefined) {
      if (arg.startsWith('-')) return { error: `unknown option ${quoted(name)}` };
      if (!allowOperands) return { error: `unexpected argument ${quoted(arg)}` };
      operands.push(arg);
    } else if (takes === 'flag') {
      if (inline !== undefined) return { error: `${name} takes no value` };
      options[key] = true;
    } else {
      const value = inline ?? args[++i];
      if (value === undefined || value === '' || value.startsWith('-')) return { error: `${name} needs a value` };
      if (options[key] !== undefined) return { error: `${name} given twice` };
      if (Array.isArray(takes) && !takes.includes(value)) return { error: `${name} ${quoted(value)} is not one of ${takes.join(', ')}` };
      options[key] = value;
    }
  }
  return { options, operands };
}

/** A command-line argument in a message: quoted, on one line (escaped), never long. */
export function quoted(value) {
  const text = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value).slice(1, -1);
  return `'${text}'`;
}

/** The command a usage text is of, as users type it: `npm run synth` for `usage: npm run synth -- ...`. */
function commandOf(usage) {
  return /^usage: (npm (?:run )?[\w:.-]+)/.exec(usage)?.[1] ?? 'usage';
}

/**
 * What a script does first with its parsed command line: on --help, writes `usage` to `io.out` and
 * gives exit code 0; on an error (`parsed.error`), writes one line to `io.err` that names the command and
 * points to --help, and gives exit code 2. Otherwise the command line comes back (`{ options, operands }`)
 * and the script runs. `io` writes lines, as console.log does.
 */
export function commandLineOrExitCode(parsed, usage, io = { out: console.log, err: console.error }) {
  if (parsed.error !== undefined) {
    const command = commandOf(usage);
    io.err(`${command}: ${parsed.error} (${command} -- --help lists the options)`);
    return 2;
  }
  if (parsed.options.help) {
    io.out(usage);
    return 0;
  }
  return parsed;
}

/** commandLineOrExitCode for a script that is its own process: exits with the code; otherwise the options come back. */
export function optionsOrExit(parsed, usage) {
  const read = commandLineOrExitCode(parsed, usage);
  if (typeof read === 'number') process.exit(read);
  return read.options;
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
