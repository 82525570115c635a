// Faster, equivalent internals for the CDK bundle: an esbuild plugin that rewrites files of cdktf 0.21.0
// as they are bundled (CDKTF is archived: they never change again) - resolve.js, private/fs.js, app.js,
// tfExpression.js, validate-binary-version.js and the three users of its JSON printer (now
// scripts/stable-json.cjs) - and cdk8s's yaml.js (its manifests printed by scripts/fast-yaml.cjs), and one
// helper of esbuild's own output (rewriteBundle, applied by scripts/bundle.mjs).
//
// resolve.js: cdktf resolves every element of a stack three times per synth (prepareStack, the element,
// the merged stack), and for every key and value of every object it allocates two contexts, copies the
// options, joins the path so far into a string and runs three regular expressions - about a third of the
// synth time. Most values are leaves that resolve to themselves: strings without token markers, booleans
// and integers. The rewrite returns those as they are, exactly when the original would (see isPlainLeaf),
// copies objects and arrays made only of them in one walk (plainCopy: a manifest, and the merged stack,
// which is all resolved by then), and joins the path only for an error message. Anything else takes the
// original path.
//
// private/fs.js loads `archiver` (zip streams, ~40 modules) when cdktf is loaded, for zipping assets,
// which this project has none of: the rewrite loads it on the first call instead. The same for `semver`
// in validations/validate-binary-version.js (a construct checking a binary's version).
//
// app.js and tfExpression.js: before writing any stack, App.synth() resolves every element of every stack
// once more ("prepare") for one purpose: a Reference to another stack's attribute found there becomes an
// output of that stack and a remote-state lookup in this one. The rewrite skips that pass (about 8% of a
// synth's CPU) when the caller asks for it (scripts/skip-prepare.cjs, used by scripts/bundle.mjs) and the
// stack keeps cdktf's own prepareStack(); only the backend check it starts with is kept. A Reference that
// the synth pass then finds pointing at another stack is exactly what prepare would have handled: it throws
// UNPREPARED, and the caller runs the app again, in a fresh instance of the bundle, with the pass. Without
// the switch (the tests, unless they set it), cdktf runs as published.
//
// The output is the same byte for byte (npm run synth is compared against the unpatched library and the
// plain esbuild helper in test/scripts/). Only the exact file an edit was written for is rewritten (checked
// by its hash); any other version is bundled as it is, and so is everything when SYNTH_PLAIN_CDKTF=1 (for
// comparing the two). The tests load cdktf through the same rewrites (test/support/register-typescript.cjs),
// so they exercise what synth runs.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { SKIP_PREPARE, UNPREPARED } = require('./skip-prepare.cjs');

const RESOLVE_SHA256 = '08c4dba33a40b05fd4f4c1957bd4102695c1b30df595bbb1ad1fb95fdc4a0382';

/**
 * A value `resolve` gives back unchanged, with nothing else done: not a token, not a string or number that
 * could encode one, not one of the map-token values it refuses, and not deep enough (more than 200 levels)
 * to be refused as a circular reference.
 */
const HELPER = [
  'const NUMBER_TOKEN_CANDIDATE = /[-|\\d.+]e[-|\\d.eE+]/;', // where NUMBER_TOKEN_REGEX of encoding.js can match
  'function isPlainLeaf(x, depth) {',
  'if (depth >= 200) return false;',
  'if (typeof x === "string") return x.indexOf("TfToken[") === -1 && !NUMBER_TOKEN_CANDIDATE.test(x) &&',
  'x !== token_1.Token.STRING_MAP_TOKEN_VALUE && x !== token_1.Token.ANY_MAP_TOKEN_VALUE;',
  'if (typeof x === "boolean") return true;',
  'return typeof x === "number" && Number.isSafeInteger(x) && x !== token_1.Token.NUMBER_MAP_TOKEN_VALUE; }',
].join(' ');

/**
 * A copy of a plain object or array whose every key and leaf is a plain leaf (see above), at any depth:
 * what `resolve` makes of it (a new object for each, keys and values as they are, in the same order), in
 * one walk instead of two contexts per key. Anything else in it (a token, an undefined value to drop, a
 * float, a Date, an instance of a class, a hole) makes it NOT_PLAIN, and `resolve` takes its own path.
 * Objects found not plain are remembered (MIXED), so that path does not walk them again at each level.
 */
const PLAIN_COPY = [
  'const NOT_PLAIN = Symbol("not plain"); const MIXED = new WeakSet();',
  'function plainCopy(x, depth) {',
  'if (depth >= 200 || MIXED.has(x)) return NOT_PLAIN;',
  'const proto = Object.getPrototypeOf(x);',
  'if (proto === Array.prototype) { const copy = [];',
  'for (let i = 0; i < x.length; i++) { const v = i in x ? plainValue(x[i], depth + 1) : NOT_PLAIN;',
  'if (v === NOT_PLAIN) { MIXED.add(x); return NOT_PLAIN; } copy.push(v); } return copy; }',
  'if (proto !== Object.prototype || (x._children !== undefined && x._metadata !== undefined)) return NOT_PLAIN;',
  'const copy = {};',
  'for (const key of Object.keys(x)) { const v = isPlainLeaf(key, depth) ? plainValue(x[key], depth + 1) : NOT_PLAIN;',
  'if (v === NOT_PLAIN) { MIXED.add(x); return NOT_PLAIN; } copy[key] = v; } return copy; }',
  'function plainValue(v, depth) { if (v === null) return null;',
  'if (typeof v === "object") return plainCopy(v, depth); return isPlainLeaf(v, depth) ? v : NOT_PLAIN; }',
].join(' ');

/**
 * [original, replacement]: each must occur exactly as often as given, or nothing is rewritten. No edit
 * adds or removes a line, so the library's own source map still gives the right lines in a stack trace.
 */
const EDITS = [
  ['const tokenMap = token_map_1.TokenMap.instance();\n', `const tokenMap = token_map_1.TokenMap.instance(); ${HELPER} ${PLAIN_COPY}\n`, 1],
  // Objects and arrays: a plain one is copied in one walk.
  [
    '    if (Array.isArray(obj)) {\n',
    '    const plain = plainCopy(obj, prefix.length); if (plain !== NOT_PLAIN) return plain; if (Array.isArray(obj)) {\n',
    1,
  ],
  // The path is only for error messages: joined when one is thrown.
  ['    const pathName = "/" + prefix.join("/");\n', '\n', 1],
  ['(pathName', '("/" + prefix.join("/")', 4],
  [
    '.map((x, i) => makeContext(`${i}`)[0].resolve(x))',
    '.map((x, i) => isPlainLeaf(x, prefix.length + 1) ? x : makeContext(`${i}`)[0].resolve(x))',
    1,
  ],
  [
    'const resolvedKey = makeContext()[0].resolve(key);',
    'const resolvedKey = isPlainLeaf(key, prefix.length) ? key : makeContext()[0].resolve(key);',
    1,
  ],
  [
    'const value = makeContext(key)[0].resolve(obj[key]);',
    'const value = isPlainLeaf(obj[key], prefix.length + 1) ? obj[key] : makeContext(key)[0].resolve(obj[key]);',
    1,
  ],
];

/** What the rewrites of app.js and tfExpression.js read: whether the caller asked to skip the prepare pass. */
const SKIPPING = `globalThis[Symbol.for("${SKIP_PREPARE}")]`;

/** The manifest printer (scripts/fast-yaml.cjs), where cdk8s's yaml.js requires it from. */
const FAST_YAML = JSON.stringify(path.join(__dirname, 'fast-yaml.cjs'));
const CDK8S_STRINGIFY = 'YAML.stringify(r, { keepUndefined: true, lineWidth: 0, version: yamlSchemaVersion })';
/** cdktf's JSON printer, and the same text printed directly (scripts/stable-json.cjs). */
const STABLE_STRINGIFY = 'const stringify = require("json-stable-stringify");\n';
const FAST_STABLE_STRINGIFY = `const stringify = require(${JSON.stringify(path.join(__dirname, 'stable-json.cjs'))}).stableStringifyLike(() => require("json-stable-stringify"));\n`;

/** A library file and the edits made to it. */
const REWRITES = [
  {
    // cdktf's resolve.js, wherever node_modules is.
    file: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]resolve\.js$/,
    sha256: RESOLVE_SHA256,
    edits: EDITS,
  },
  {
    file: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]private[\\/]fs\.js$/,
    sha256: '3fb8a5949aac34b84430ab6bd18206360bc399d8e1b89a8266e9083f0abd6d53',
    // Only called (runArchive), never read otherwise: a function that loads it on its first call is the same.
    edits: [['const archiver = require("archiver");\n', 'const archiver = (...args) => require("archiver")(...args);\n', 1]],
  },
  {
    file: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]app\.js$/,
    sha256: '994f2f235080531319715282cd991d9c503dbd584dc5670f206b817f644f5a4b',
    edits: [
      [
        '        stacks.forEach((stack) => stack.prepareStack());\n',
        `        stacks.forEach((stack) => (${SKIPPING} && stack.prepareStack === terraform_stack_1.TerraformStack.prototype.prepareStack ? stack.ensureBackendExists() : stack.prepareStack()));\n`,
        1,
      ],
    ],
  },
  {
    file: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]tfExpression\.js$/,
    sha256: 'f2d91f5ec82388cfe1bcfc92fc16cc1f7175559c555c7fe0ccb79ecef4dd11e2',
    edits: [
      [
        '        // If this is a cross stack reference we will resolve to a reference within this stack.\n',
        `        if (${SKIPPING} && !context.preparing && this.originStack && this.originStack !== resolutionStack && !this.crossStackIdentifier[stackName]) throw Object.assign(new Error("cdktf: a cross-stack reference needs the prepare pass"), { [Symbol.for("${UNPREPARED}")]: true });\n`,
        1,
      ],
    ],
  },
  {
    // The stack files (cdk.tf.json) and the manifest cdktf writes.
    file: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]synthesize[\\/]synthesizer\.js$/,
    sha256: 'ad59b8ceaded27e911abb010567bc0aa60f75ce46a8740d285c3451cf3fad30c',
    edits: [[STABLE_STRINGIFY, FAST_STABLE_STRINGIFY, 1]],
  },
  {
    // Testing.synth() prints with it too (and the package's dependencies load with cdktf through it).
    file: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]testing[\\/]index\.js$/,
    sha256: 'f19a1d1b3344beda890bee56ca1d4460fae72ab31e5c390597d45c374e9606f5',
    edits: [[STABLE_STRINGIFY, FAST_STABLE_STRINGIFY, 1]],
  },
  {
    // semver (about 40 modules) loads with cdktf for one call, made only when a construct checks a binary's version.
    file: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]validations[\\/]validate-binary-version\.js$/,
    sha256: 'bc00400e8f097a1262908868dbea31805bce2006b16a1e7fef5062a2641284e6',
    edits: [['const semver = require("semver");\n', 'const semver = { satisfies: (...args) => require("semver").satisfies(...args) };\n', 1]],
  },
  {
    file: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]manifest\.js$/,
    sha256: 'ab260e948116c6dac7669bab8d79b13d84232a8466d6e8f5dc74805b0b56e600',
    edits: [[STABLE_STRINGIFY, FAST_STABLE_STRINGIFY, 1]],
  },
  {
    // cdk8s's Yaml.stringify, which App.synth() writes every manifest with: the same text, printed directly
    // where fast-yaml.cjs can (it says when it cannot, and the library prints that object).
    file: /[\\/]node_modules[\\/]cdk8s[\\/]lib[\\/]yaml\.js$/,
    sha256: '78977507bda8691cbce0cb121c79f39b25baed3ab9ef5976737e309082576657',
    edits: [
      ['const YAML = __importStar(require("yaml"));\n', `const YAML = __importStar(require("yaml")); const fastYaml_1 = require(${FAST_YAML});\n`, 1],
      [CDK8S_STRINGIFY, `(fastYaml_1.stringifyBlockYaml(YAML, r) ?? ${CDK8S_STRINGIFY})`, 1],
    ],
  },
];

/** The rewritten source of a library file, or undefined when it is not a file (and version) the edits were written for. */
function rewriteFile(file, source) {
  const rewrite = REWRITES.find((r) => r.file.test(file));
  if (!rewrite || createHash('sha256').update(source).digest('hex') !== rewrite.sha256) return undefined;
  let text = source.toString('utf8');
  for (const [original, replacement, count] of rewrite.edits) {
    if (text.split(original).length - 1 !== count) return undefined;
    text = text.split(original).join(replacement);
  }
  return text;
}

/** What rewriteFile makes of cdktf's resolve.js (or of another text at its place). */
const rewriteResolve = (source) => rewriteFile('/node_modules/cdktf/lib/tokens/private/resolve.js', source);

/** Matches every file that has a rewrite. */
const REWRITTEN_FILES = new RegExp(REWRITES.map((r) => r.file.source).join('|'));

/** Whether the bundle is made as the libraries and esbuild make it, without these rewrites. */
const plain = () => process.env.SYNTH_PLAIN_CDKTF === '1';

/** The esbuild plugin. */
const fastResolvePlugin = {
  name: 'cdktf-fast-resolve',
  setup(build) {
    if (plain()) return;
    build.onLoad({ filter: REWRITTEN_FILES }, (args) => {
      const contents = rewriteFile(args.path, fs.readFileSync(args.path));
      return contents === undefined ? undefined : { contents, loader: 'js' };
    });
  },
};

/*
 * esbuild imports a CommonJS module into TypeScript through __toESM, which copies every export of the
 * module onto a new object as a getter; a provider file exports hundreds of names, imported by several
 * files. A module compiled from ES modules (marked __esModule) gets no `default` added and its copy
 * only reads through to the module, so the module itself serves the same. Same line, so the bundle's
 * source map is unchanged.
 */
const TO_ESM = 'var __toESM = (mod, isNodeMode, target) => (';
const FAST_TO_ESM = 'var __toESM = (mod, isNodeMode, target) => mod != null && mod.__esModule && !isNodeMode ? mod : (';

/*
 * esbuild escapes non-ASCII characters in strings, regular expressions and names, but not in the comments
 * it keeps (a few library comments have dashes and curly quotes), so any left is in a comment. One '?' per
 * UTF-16 unit keeps every line and column (the units of the source map). An ASCII bundle is read as latin1
 * into a one-byte string: ~15 ms less than decoding UTF-8, and 6 MB less than the two-byte string that one
 * dash makes of the whole bundle. A line separator (U+2028/9) ends a // comment, so with one the bundle
 * is left as it is.
 */
const NON_ASCII = /[\u0080-\uffff]/g; // every UTF-16 unit outside ASCII, surrogate halves one by one
const LINE_SEPARATORS = /[\u2028\u2029]/;

/** esbuild's output (decoded as UTF-8) with the faster __toESM and only ASCII; as it is with SYNTH_PLAIN_CDKTF=1. */
function rewriteBundle(code) {
  if (plain()) return code;
  const helper = code.split(TO_ESM).length === 2 ? code.replace(TO_ESM, FAST_TO_ESM) : code; // another esbuild: as it is
  return LINE_SEPARATORS.test(helper) ? helper : helper.replace(NON_ASCII, '?');
}

module.exports = { REWRITTEN_FILES, rewriteFile, rewriteResolve, rewriteBundle, fastResolvePlugin };
