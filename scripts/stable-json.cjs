// cdktf writes each stack (cdk.tf.json) and its manifest with json-stable-stringify 1.3.0 and
// `{ space: 2 }`: keys sorted, two-space indentation, and empty objects and arrays printed open
// ("{\n  }"). That package goes through call-bind wrappers for every join, sort and indexOf, builds each
// indentation string character by character, and looks for cycles in an array. This prints the same text
// directly; any other options go to the package, loaded then. Swapped in by the bundle's rewrite of cdktf's
// synthesizer.js and manifest.js (scripts/fast-resolve.cjs); test/scripts/stable-json.test.ts compares the
// two on every shipped stack and on generated values.
'use strict';

const SPACE = '  ';

/** `require('json-stable-stringify')` as cdktf calls it, given a function that loads the package for other options. */
function stableStringifyLike(loadOriginal) {
  return function stableStringify(value, options) {
    if (options === null || typeof options !== 'object' || Object.keys(options).length !== 1 || options.space !== 2) {
      return loadOriginal()(value, options);
    }
    const indents = ['\n'];
    const indent = (level) => (indents[level] ??= `${indent(level - 1)}${SPACE}`);
    const seen = new Set();
    const print = (node, level) => {
      if (node && typeof node.toJSON === 'function') node = node.toJSON();
      if (node === undefined) return undefined;
      if (typeof node !== 'object' || node === null) return JSON.stringify(node);
      const inner = indent(level + 1);
      let out = '';
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) out += `${i === 0 ? '' : ','}${inner}${print(node[i], level + 1) || 'null'}`;
        return `[${out}${indent(level)}]`;
      }
      if (seen.has(node)) throw new TypeError('Converting circular structure to JSON');
      seen.add(node);
      let first = true;
      for (const key of Object.keys(node).sort()) {
        const printed = print(node[key], level + 1);
        if (!printed) continue;
        out += `${first ? '' : ','}${inner}${JSON.stringify(key)}: ${printed}`;
        first = false;
      }
      seen.delete(node);
      return `{${out}${indent(level)}}`;
    };
    return print(value, 0);
  };
}

module.exports = { stableStringifyLike };
