// The tests' TypeScript, compiled once per content: register-typescript.cjs compiles every .ts file a
// worker loads (about a hundred per worker, a second of CPU per run). An entry is keyed by a hash of all
// that makes the output (esbuild's version, the options, the file's path, which the source map and stack
// traces name, and its text), so an edited file is compiled again. Entries live in the git-ignored
// .build/test-compile/, are written whole (a temporary file, then a rename) so concurrent workers and runs
// never see half an entry, and carry a hash of their code: a damaged entry is compiled again, not trusted.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const DEFAULT_DIR = path.resolve(__dirname, '../../.build/test-compile');
const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * `compile(source, file)`'s code, from the cache when an entry for exactly this input is there and whole.
 * @param {{ dir?: string, compile: (source: string, file: string) => string, salt: string }} options
 *   `salt`: what else decides the output (compiler version and options)
 * @returns {string}
 */
function cachedCompile(source, file, { dir = DEFAULT_DIR, compile, salt }) {
  const entry = path.join(dir, `${sha256(JSON.stringify([salt, file, source]))}.js`);
  try {
    const stored = fs.readFileSync(entry, 'utf8');
    const newline = stored.indexOf('\n');
    const code = stored.slice(newline + 1);
    if (newline === 64 && stored.slice(0, 64) === sha256(code)) return code;
  } catch {
    // no entry yet
  }
  const code = compile(source, file);
  try {
    fs.mkdirSync(dir, { recursive: true });
    const temporary = `${entry}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    fs.writeFileSync(temporary, `${sha256(code)}\n${code}`);
    fs.renameSync(temporary, entry);
  } catch {
    // a read-only checkout compiles every time
  }
  return code;
}

module.exports = { cachedCompile, DEFAULT_DIR };
