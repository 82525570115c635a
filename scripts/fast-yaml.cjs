// cdk8s writes each manifest with the `yaml` library: `YAML.stringify(object, { keepUndefined: true,
// lineWidth: 0, version: '1.1' })`, which first builds a document tree of the object and then prints it.
// For a synth's few hundred objects, most of that work runs once, cold: about a tenth of a warm synth.
//
// stringifyBlockYaml prints the same text directly, for the JSON-like values Kubernetes manifests are:
// plain objects, arrays, strings, finite numbers, booleans, null and undefined. It follows the library's
// own rules (yaml 2.9.1, stringify/stringifyString.js, stringifyPair.js, stringifyCollection.js) with the
// options above, and asks the library's schema whether a plain string would read back as something else
// (a number, a YAML 1.1 boolean such as `yes`, a date). Anything those rules do not cover returns
// undefined, and the caller prints that object with the library: control characters, multi-line double-
// quoted strings, block scalars that keep trailing newlines, long or empty keys, an object reached twice
// (the library writes an anchor and an alias), other kinds of values. The result is the same byte for
// byte: test/scripts/fast-yaml.test.ts compares the two on every shipped manifest and on 800
// generated objects with tricky strings.
'use strict';

/** Thrown (always this one, made once) where only the library can print the object. */
const UNSUPPORTED = new Error('unsupported by stringifyBlockYaml');
const unsupported = () => {
  throw UNSUPPORTED;
};

const INDENT_STEP = '  ';
// As in stringifyString.js.
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
// oxlint-disable-next-line no-control-regex -- the library's own test for characters only double quotes can hold
const NEEDS_DOUBLE_QUOTES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;
const STRING_TAG = 'tag:yaml.org,2002:str';
const MAX_IMPLICIT_KEY = 1024;

/**
 * Per `yaml` module, from its YAML 1.1 schema: the tests that make a plain string read back as another type,
 * and the other tags that may claim a string value itself (the merge key `<<`). Null when unusable.
 */
const schemas = new WeakMap();

function schemaOf(YAML) {
  if (!schemas.has(YAML)) {
    const { tags, compat } = new YAML.Document(null, { version: '1.1' }).schema;
    const tests = [...tags, ...(compat ?? [])].filter((tag) => tag.default && tag.tag !== STRING_TAG && tag.test).map((tag) => tag.test);
    const claims = tags.filter((tag) => tag.identify && tag.tag !== STRING_TAG).map((tag) => tag.identify);
    // A global or sticky expression keeps state between calls: then only the library can tell.
    const usable = tests.every((re) => re instanceof RegExp && !re.global && !re.sticky);
    schemas.set(YAML, usable ? { tests, claims } : null);
  }
  return schemas.get(YAML);
}

const isPlainObject = (value) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * The text `YAML.stringify(value, { keepUndefined: true, lineWidth: 0, version: '1.1' })` gives for a
 * non-empty plain object, or undefined when the library must print it.
 */
function stringifyBlockYaml(YAML, value) {
  const schema = schemaOf(YAML);
  if (!schema || !isPlainObject(value) || Object.keys(value).length === 0) return undefined;
  try {
    return `${new Printer(schema).map(value, '')}\n`;
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

class Printer {
  constructor({ tests, claims }) {
    this.tests = tests;
    this.claims = claims;
    this.seen = new Set();
  }

  /** A collection, once: the library writes an object reached twice as an anchor and an alias. */
  enter(collection) {
    if (this.seen.has(collection)) unsupported();
    this.seen.add(collection);
  }

  /** A block mapping whose entries start at `indent` (the first one where the caller is). */
  map(object, indent) {
    // The library prints an object with a toJSON() as what that returns, and an iterable one as a sequence.
    if (typeof object.toJSON === 'function' || Symbol.iterator in object) unsupported();
    this.enter(object);
    const keys = Object.keys(object);
    if (keys.length === 0) return '{}';
    let out = '';
    for (const [i, key] of keys.entries()) out += `${i === 0 ? '' : `\n${indent}`}${this.pair(key, object[key], indent)}`;
    return out;
  }

  /** A block sequence at `indent`. */
  seq(array, indent) {
    if (typeof array.toJSON === 'function') unsupported();
    this.enter(array);
    if (array.length === 0) return '[]';
    const itemIndent = indent + INDENT_STEP;
    let out = '';
    for (let i = 0; i < array.length; i++) out += `${i === 0 ? '' : `\n${indent}`}- ${this.node(array[i], itemIndent)}`;
    return out;
  }

  /** A value at `indent` (as the library's context has it: where a block scalar's lines or a collection's items go). */
  node(value, indent) {
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || Object.is(value, -0)) unsupported();
      return JSON.stringify(value);
    }
    if (typeof value === 'string') return this.string(value, indent, false);
    if (Array.isArray(value)) return this.seq(value, indent);
    if (isPlainObject(value)) return this.map(value, indent);
    return unsupported();
  }

  /** `key: value` in a mapping at `indent` (stringifyPair.js). */
  pair(key, value, indent) {
    const childIndent = indent + INDENT_STEP;
    if (key === '') unsupported(); // an explicit key (`? `)
    const keyText = this.string(key, childIndent, true);
    if (keyText.length > MAX_IMPLICIT_KEY) unsupported();
    const collection = value !== null && typeof value === 'object';
    const valueText = this.node(value, childIndent);
    if (!collection) return `${keyText}: ${valueText}`;
    const empty = Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
    return empty ? `${keyText}: ${valueText}` : `${keyText}:\n${childIndent}${valueText}`;
  }

  /** A string scalar (stringifyString.js: plainString and what it turns to). */
  string(value, indent, implicitKey) {
    if (NEEDS_DOUBLE_QUOTES.test(value) || this.claims.some((claims) => claims(value))) unsupported();
    const multiLine = value.includes('\n');
    if (implicitKey && multiLine) return this.quoted(value, indent, implicitKey);
    if (NOT_PLAIN.test(value)) return implicitKey || !multiLine ? this.quoted(value, indent, implicitKey) : this.block(value, indent);
    if (!implicitKey && multiLine) return this.block(value, indent);
    if (DOCUMENT_MARKER.test(value)) {
      if (indent === '') unsupported();
      if (implicitKey && indent === INDENT_STEP) return this.quoted(value, indent, implicitKey);
    }
    return this.tests.some((re) => re.test(value)) ? this.quoted(value, indent, implicitKey) : value;
  }

  quoted(value, indent, implicitKey) {
    const hasDouble = value.includes('"');
    const hasSingle = value.includes("'");
    return hasDouble && !hasSingle ? this.singleQuoted(value, indent, implicitKey) : this.doubleQuoted(value);
  }

  singleQuoted(value, indent, implicitKey) {
    if ((implicitKey && value.includes('\n')) || /[ \t]\n|\n[ \t]/.test(value)) return this.doubleQuoted(value);
    const lineIndent = indent || (DOCUMENT_MARKER.test(value) ? INDENT_STEP : '');
    return `'${value.replace(/'/g, "''").replace(/\n+/g, `$&\n${lineIndent}`)}'`;
  }

  /** Only single-line strings: the library folds and escapes multi-line ones its own way. */
  doubleQuoted(value) {
    if (value.includes('\n')) unsupported();
    const json = JSON.stringify(value);
    if (json.includes('\\u')) unsupported();
    return json;
  }

  /** A literal block scalar (blockString with lineWidth 0, so never folded). */
  block(original, indent) {
    if (/\n[\t ]+$/.test(original)) return this.quoted(original, indent, false);
    if (indent === '') unsupported();
    let value = original;
    let endStart = value.length;
    while (endStart > 0 && '\n\t '.includes(value[endStart - 1])) endStart--;
    let end = value.substring(endStart);
    const endNewline = end.indexOf('\n');
    let chomp;
    if (endNewline === -1) chomp = '-';
    else if (value === end || endNewline !== end.length - 1) unsupported(); // keep (`+`) changes what follows
    else chomp = '';
    if (end) {
      value = value.slice(0, -end.length);
      if (end[end.length - 1] === '\n') end = end.slice(0, -1);
      end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
    }
    let startWithSpace = false;
    let startEnd = 0;
    let startNewline = -1;
    for (; startEnd < value.length; ++startEnd) {
      const ch = value[startEnd];
      if (ch === ' ') startWithSpace = true;
      else if (ch === '\n') startNewline = startEnd;
      else break;
    }
    let start = value.substring(0, startNewline < startEnd ? startNewline + 1 : startEnd);
    if (start) {
      value = value.substring(start.length);
      start = start.replace(/\n+/g, `$&${indent}`);
    }
    const header = (startWithSpace ? '2' : '') + chomp;
    return `|${header}\n${indent}${start}${value.replace(/\n+/g, `$&${indent}`)}${end}`;
  }
}

module.exports = { stringifyBlockYaml };
