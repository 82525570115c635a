import * as fs from 'node:fs';
import { parse } from 'yaml';

/** Parsed YAML by file text, for a test file's run: parsing a commented file costs milliseconds, and tests ask for the same files hundreds of times. */
const parsed = new Map<string, any>();

/** A YAML file's data: the file is read on every call (an edited file gives its new data), and each call gets its own copy, which it may change. */
export function readYaml(file: string): any {
  const text = fs.readFileSync(file, 'utf8');
  if (!parsed.has(text)) parsed.set(text, parse(text));
  return structuredClone(parsed.get(text));
}
