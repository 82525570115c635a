// A faster, equivalent `resolve` for the CDK bundle: an esbuild plugin that rewrites cdktf 0.21.0's
// lib/tokens/private/resolve.js (CDKTF is archived: that file never changes again) as it is bundled.
//
// cdktf resolves every element of a stack three times per synth (prepareStack, the element, the merged
// stack), and for every key and value of every object it allocates two contexts, copies the options,
// joins the path so far into a string and runs three regular expressions - about a third of the synth
// time. Most values are leaves that resolve to themselves: strings without token markers, booleans and
// integers. The rewrite returns those as they are, exactly when the original would (see isPlainLeaf), and
// joins the path only for an error message. Anything else takes the original path, so the output is the
// same byte for byte (npm run synth is compared against the unpatched library in test/scripts/).
//
// Only the exact file it was written for is rewritten (checked by its hash); any other version is bundled
// as it is, and so is everything when SYNTH_PLAIN_CDKTF=1 (for comparing the two). The tests load cdktf
// through the same rewrite (test/support/register-typescript.cjs), so they exercise what synth runs.
const { createHash } = require('node:crypto');
const fs = require('node:fs');

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
 * [original, replacement]: each must occur exactly as often as given, or nothing is rewritten. No edit
 * adds or removes a line, so the library's own source map still gives the right lines in a stack trace.
 */
const EDITS = [
  ['const tokenMap = token_map_1.TokenMap.instance();\n', `const tokenMap = token_map_1.TokenMap.instance(); ${HELPER}\n`, 1],
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

/** The rewritten source, or undefined when `source` is not the file the edits were written for. */
function rewriteResolve(source) {
  if (createHash('sha256').update(source).digest('hex') !== RESOLVE_SHA256) return undefined;
  let text = source.toString('utf8');
  for (const [original, replacement, count] of EDITS) {
    if (text.split(original).length - 1 !== count) return undefined;
    text = text.split(original).join(replacement);
  }
  return text;
}

/** cdktf's resolve.js, wherever node_modules is. */
const RESOLVE_FILE = /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]resolve\.js$/;

/** The esbuild plugin. */
const fastResolvePlugin = {
  name: 'cdktf-fast-resolve',
  setup(build) {
    if (process.env.SYNTH_PLAIN_CDKTF === '1') return;
    build.onLoad({ filter: RESOLVE_FILE }, (args) => {
      const contents = rewriteResolve(fs.readFileSync(args.path));
      return contents === undefined ? undefined : { contents, loader: 'js' };
    });
  },
};

module.exports = { RESOLVE_FILE, rewriteResolve, fastResolvePlugin };
