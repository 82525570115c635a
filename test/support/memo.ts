/*
 * A memo for the synth helpers (test/infra/synth.ts, test/workloads/synth.ts): the same environment, with
 * the same options, is synthesized once per test file (jest gives each file its own module registry, so
 * the memo lives as long as the file's tests). The key is the input as JSON; input JSON would not describe
 * exactly (a Map, a class instance, a function) is refused, so two different inputs never share a key.
 * What is kept must not be changed by its callers: the helpers keep JSON text and parse a fresh copy for
 * every call.
 */

/** The JSON text of plain data; throws on anything JSON would lose or confuse. */
export function memoKey(value: unknown): string {
  const check = (v: unknown, at: string): void => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || v === undefined) return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Error(`memoKey: ${at} is ${v}, which JSON cannot hold`);
      return;
    }
    if (Array.isArray(v)) return v.forEach((item, i) => check(item, `${at}[${i}]`));
    const proto = typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
    if (proto !== Object.prototype && proto !== null)
      throw new Error(`memoKey: ${at} is not plain data (${typeof v === 'object' ? v?.constructor?.name : typeof v})`);
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) check(item, `${at}.${k}`);
  };
  check(value, 'input');
  return JSON.stringify(value) ?? 'undefined';
}

/** A function of plain-data input whose results are kept for as long as this module (one test file). */
export function memoize<I extends unknown[], T>(make: (...input: I) => T): ((...input: I) => T) & { readonly size: () => number } {
  const kept = new Map<string, T>();
  const memoized = (...input: I): T => {
    const key = memoKey(input);
    if (!kept.has(key)) kept.set(key, make(...input));
    return kept.get(key) as T;
  };
  return Object.assign(memoized, { size: () => kept.size });
}
