import Ajv, { _ } from 'ajv';
import addFormats from 'ajv-formats';
import { standaloneValidator } from './ajv-standalone';

// Validators compiled once and kept (ajv-standalone.ts): the kept one is used, and it says what ajv says.
const SCHEMA = {
  $id: 'https://example.com/ajv-standalone-test',
  type: 'object',
  required: ['name', 'at'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[a-z]+$' },
    at: { type: 'string', format: 'date-time' },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
  },
};
const makeAjv = () => {
  const ajv = new Ajv({ allErrors: true, code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` } });
  addFormats(ajv);
  return ajv;
};

describe('standalone ajv validators', () => {
  it('are compiled once: a second call loads the kept module and never builds ajv', () => {
    let built = 0;
    const counting = () => (built++, makeAjv());
    standaloneValidator('ajv-standalone-test', SCHEMA, counting);
    const before = built;
    expect(before).toBeLessThanOrEqual(1);
    standaloneValidator('ajv-standalone-test', SCHEMA, counting);
    expect(built).toBe(before);
  });

  it("give ajv's verdict and errors, formats included", () => {
    const kept = standaloneValidator('ajv-standalone-test', SCHEMA, makeAjv);
    const compiled = makeAjv().compile(SCHEMA);
    const values = [
      { name: 'web', at: '2026-11-23T10:00:00Z' },
      { name: 'Web', at: 'yesterday', tags: ['a', 'b', 'c'], extra: 1 },
      { at: '2026-11-23T10:00:00Z' },
      'not an object',
    ];
    for (const value of values) {
      expect(kept(value)).toBe(compiled(value));
      expect(kept.errors ?? null).toEqual(compiled.errors ?? null);
    }
    expect(kept(values[1])).toBe(false);
    expect(kept.errors?.map((e) => e.keyword).sort()).toEqual(['additionalProperties', 'format', 'maxItems', 'pattern']);
  });
});
