import Ajv2020 from 'ajv/dist/2020';
import { COMMENT_MARKER, GITHUB_COMMENT_LIMIT } from '../../.github/scripts/comment';
import { renderReview } from '../../.github/scripts/review';
import { fitToSchema, LIMITS, parseReview, REVIEW_SCHEMA, schemaError, type ReviewData } from '../../.github/scripts/review-data';
import { LINE_BREAK_MARK } from '../../scripts/diff/markdown-escape';
import type { DiffReport } from '../../scripts/diff/model';
import { renderMarkdown } from '../../scripts/diff/render-markdown';
import { HOSTILE, liveMarkup, shownTexts, structure } from '../diff/markdown-check';
import { PLAN } from './plan-output';

/*
 * The comment pr-review-comment.yml posts, rendered from review.json (the pull request's data) by the
 * default branch's code: every value that reaches it stays a value, and data that does not conform is refused.
 */

/** An offline-diff report with `v(field)` in every field that reaches the Markdown. */
function report(v: (field: string) => string): DiffReport {
  const env = v('environment');
  const stack = v('stack');
  const risk = { kind: 'replaced', level: 'high', environment: env, stack, address: 'a', message: v('risk message') } as const;
  return {
    base: { ref: v('base ref'), commit: '0123456789abcdef0123456789abcdef01234567' },
    head: { ref: v('head ref'), commit: '' },
    environments: [
      {
        name: env,
        status: 'changed',
        stacks: [stack],
        cost: {
          before: { min: 812, max: 1204, partial: false },
          after: { min: 840, max: 1650, partial: true },
          currency: 'USD',
          pricesAsOf: v('prices as of'),
          lines: [{ id: v('cost line id'), description: v('cost line'), before: { min: 1, max: 2 }, after: null }],
          unpriced: [{ id: v('unpriced id'), what: v('unpriced what'), why: v('unpriced why'), side: 'after' }],
        },
      },
    ],
    risks: [risk],
    changes: [
      {
        layer: 'terraform',
        environment: env,
        stack,
        address: v('address'),
        from: v('from'),
        type: 'azurerm_x',
        name: v('name'),
        action: 'replace',
        level: 'high',
        risks: [risk],
        attributes: [{ path: v('setting key'), old: v('old value'), new: { tags: { owner: v('tag value') } }, effect: 'replace', basis: v('basis') }],
      },
      {
        layer: 'kubernetes',
        environment: env,
        address: v('object'),
        type: 'ConfigMap',
        action: 'update',
        level: 'low',
        risks: [],
        attributes: [],
        notes: [v('note')],
      },
    ],
    policy: {
      newFindings: [
        { ruleId: v('rule'), severity: 'error', environment: env, object: v('policy object'), message: v('policy message'), waived: false },
      ],
      note: v('policy note'),
    },
  };
}

/** review.json with `v(field)` in every field that reaches the comment. */
function review(v: (field: string) => string, { failed = false, planned = true } = {}): ReviewData {
  return {
    version: 1,
    offlineDiff: failed ? { exitCode: 3, error: v('diff error') } : { exitCode: 0, report: report(v) },
    synthesized: {
      ok: true,
      stacks: [{ name: v('synth stack'), resources: 2, types: [{ name: v('resource type'), count: 2 }] }],
      manifests: [{ file: v('manifest'), objects: 1, kinds: [{ name: v('kind'), count: 1 }] }],
    },
    plans: {
      ran: planned,
      stacks: [
        {
          stack: v('plan stack'),
          exitCode: 0,
          output: `${PLAN}\n${v('plan output')}\n  # ${v('plan address').replace(/\s/g, '_')} will be destroyed`,
        },
        { stack: v('failed stack'), exitCode: 1, output: `Error: does not have authorization to perform action '${v('permission')}' over scope` },
      ],
      notPlanned: [{ stack: v('skipped stack'), reason: v('skip reason') }],
      ...(planned ? {} : { reason: v('no plan reason') }),
    },
    errors: [v('collector error')],
  };
}

const benign = (field: string) => field.replace(/\s/g, '-');

/** The fields `make` puts a value in. */
const fieldsOf = (make: (v: (field: string) => string) => unknown) => {
  const fields: string[] = [];
  make((field) => (fields.push(field), field));
  return fields;
};

/**
 * The fields whose value the comment shows as it is, in each mode: a failed offline diff has no report,
 * without plans there are no stacks, and a plan's destroyed address and denied permission are shown as
 * terraform printed them (in the plan's output) and as code.
 */
function shownFields(options: { failed?: boolean; planned?: boolean }): string[] {
  const hidden = new Set([
    'plan address',
    'cost line id',
    'unpriced id',
    ...(options.failed ? fieldsOf(report) : ['diff error']),
    ...(options.planned === false ? fieldsOf((v) => review(v).plans.stacks) : ['no plan reason']),
  ]);
  return fieldsOf((v) => review(v, options)).filter((field) => !hidden.has(field));
}
/** Whether `value` is among `shown` (shownTexts of a comment, joined once: parsing is the slow part). */
const shows = (shown: string, value: string) => {
  const lines = value.replace(/\r\n|\r/g, '\n');
  const forms = [lines, value.replace(/\r\n|\r|\n/g, LINE_BREAK_MARK), value.replace(/\r\n|\r|\n/g, ' '), JSON.stringify(value)];
  return forms.some((f) => shown.includes(f.trim()));
};

describe('the review comment, from review.json', () => {
  it('checks itself: a naive renderer would have let these values through', () => {
    const naive = (v: string) => `### Offline diff\n\n- **dev**: ${v}`;
    expect(liveMarkup(naive('[x](https://evil) @maintainer'))).toHaveLength(2);
    expect(structure(naive('\n### Offline diff: no risks'))).not.toEqual(structure(naive('plain')));
  });

  describe.each(HOSTILE.map((v) => [JSON.stringify(v), v]))('with %s in every field', (_, payload) => {
    const hostile = (field: string) => `${benign(field)} ${payload}`;
    it.each([
      ['the offline diff and the plans', {}],
      ['the offline diff failed', { failed: true }],
      ['no plan made', { planned: false }],
    ])('keeps each value a value: %s', (_, options) => {
      const data = review(hostile, options);
      expect(schemaError(data)).toBeUndefined();
      for (const fork of [undefined, `evil/${payload.replace(/\s/g, '')}`]) {
        const markdown = renderReview(data, { fork });
        expect(markdown.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
        expect(markdown.startsWith(COMMENT_MARKER)).toBe(true);
        // The same headings, lists, tables, emphasis and HTML as with plain values: nothing became markup.
        expect(structure(markdown)).toEqual(structure(renderReview(review(benign, options), { fork: fork && 'evil/plain' })));
        // The marker is the renderer's own HTML comment, the only one.
        expect(liveMarkup(markdown.slice(COMMENT_MARKER.length))).toEqual([]);
        const shown = shownTexts(markdown).join('\n');
        const missing = shownFields(options).filter((field) => !shows(shown, hostile(field)));
        expect(missing).toEqual([]);
      }
    });

    it('keeps each value a value in npm run diff --format markdown', () => {
      const markdown = renderMarkdown(report(hostile));
      expect(structure(markdown)).toEqual(structure(renderMarkdown(report(benign))));
      expect(liveMarkup(markdown)).toEqual([]);
    });
  });

  it('says so when the pull request comes from a fork, with the fork named by the workflow, not the data', () => {
    const data = review(benign);
    const fork = renderReview(data, { fork: 'someone/aks-environments' });
    expect(fork).toContain('> [!WARNING]\n> This pull request comes from the fork `someone/aks-environments`');
    expect(fork).toContain("produced by the fork's own code");
    expect(fork.indexOf('[!WARNING]')).toBeLessThan(fork.indexOf('### Offline diff'));
    expect(renderReview(data)).not.toContain('fork');
  });

  it('keeps to GitHub’s limit with long plans, and every summary still shows', () => {
    const long = review(benign);
    const data = {
      ...long,
      plans: { ...long.plans, stacks: long.plans.stacks.map((p) => ({ ...p, output: `${p.output}\n${'x'.repeat(50_000)}` })) },
    };
    const markdown = renderReview(data);
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(markdown).toContain('**Could not be planned**');
    expect(markdown).toContain('trimmed to fit the comment');
  });
});

/** `data` with `value` at the JSON pointer `pointer` (a copy; the parents exist). */
function withValue(data: unknown, pointer: string, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
  const keys = pointer.split('/').slice(1);
  const parent = keys.slice(0, -1).reduce((node, key) => node[key] as Record<string, unknown>, copy);
  parent[keys.at(-1)!] = value;
  return copy;
}

describe('review.json schema', () => {
  const valid = review(benign);
  const refusal = (data: unknown) => {
    const result = parseReview(JSON.stringify(data));
    return 'error' in result ? result.error : undefined;
  };
  const attribute = '/offlineDiff/report/changes/0/attributes/0';

  it('is JSON Schema draft 2020-12, and accepts what the collector writes', () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    expect(ajv.validateSchema(REVIEW_SCHEMA)).toBe(true);
    expect(REVIEW_SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(refusal(valid)).toBeUndefined();
  });

  it.each<[string, string, unknown, RegExp]>([
    ['an unknown field', '/comment', '### Approved', /"\/" must NOT have additional properties \("comment"\)/],
    ['an unknown field deep down', '/offlineDiff/report/risks/0/markdown', 'x', /additional properties \("markdown"\)/],
    [
      'a string over its limit',
      '/offlineDiff/report/environments/0/name',
      'x'.repeat(LIMITS.name + 1),
      /"\/offlineDiff\/report\/environments\/0\/name" must NOT have more than 256 characters/,
    ],
    ['a plan over its limit', '/plans/stacks/0/output', 'x'.repeat(LIMITS.plan + 1), /must NOT have more than 60000 characters/],
    ['a list over its limit', '/errors', Array.from({ length: 21 }, () => 'e'), /"\/errors" must NOT have more than 20 items/],
    [
      'a value over its limit',
      `${attribute}/old`,
      Array.from({ length: 101 }, () => 1),
      /"\/offlineDiff\/report\/changes\/0\/attributes\/0\/old" must NOT have more than 100 items/,
    ],
    ['a level that is not one', '/offlineDiff/report/risks/0/level', 'none', /must be equal to one of the allowed values/],
    ['an exit code that is not a number', '/plans/stacks/0/exitCode', '0; rm', /must be integer/],
    ['another version', '/version', 2, /must be equal to constant/],
    ['a currency that is not a currency code', '/offlineDiff/report/environments/0/cost/currency', '<b>', /cost\/currency" must match pattern/],
    [
      'a cost that is not a number',
      '/offlineDiff/report/environments/0/cost/after/max',
      '1650; rm',
      /"\/offlineDiff\/report\/environments\/0\/cost\/after/,
    ],
    [
      'an unpriced item of no side',
      '/offlineDiff/report/environments/0/cost/unpriced/0/side',
      'neither',
      /must be equal to one of the allowed values/,
    ],
  ])('refuses %s with one line', (_, pointer, value, message) => {
    const error = refusal(withValue(valid, pointer, value));
    expect(error).toMatch(message);
    expect(error).not.toContain('\n');
  });

  it('refuses a file over the size limit before parsing it, one nested too deep, and what is not JSON', () => {
    const big = parseReview(Buffer.alloc(LIMITS.bytes + 1, ' '));
    expect(big).toEqual({ error: `is ${LIMITS.bytes + 1} bytes, more than the ${LIMITS.bytes} allowed` });
    expect(parseReview(`${'['.repeat(100)}${']'.repeat(100)}`)).toEqual({ error: 'is nested 100 levels deep, more than the 40 allowed' });
    const notJson = parseReview('<!-- aks-environments:pr-review -->\n## Approved');
    expect('error' in notJson && notJson.error).toMatch(/^is not JSON \([^\n]*\)$/);
  });

  it('fitToSchema cuts what the collector gathers to the limits, and leaves out fields the schema does not know', () => {
    let data = withValue(valid, '/plans/stacks/0/output', 'y'.repeat(LIMITS.plan + 500));
    data = withValue(
      data,
      '/errors',
      Array.from({ length: 30 }, () => 'e'.repeat(LIMITS.error + 1)),
    );
    data = withValue(data, `${attribute}/new`, { deep: JSON.parse(`${'['.repeat(30)}1${']'.repeat(30)}`) as unknown });
    data = withValue(data, '/offlineDiff/report/changes/0/extra', 'not in the model');
    const dropped: string[] = [];
    const fitted = fitToSchema(data, undefined, dropped) as ReviewData;
    expect(dropped).toEqual(['/offlineDiff/report/changes/0/extra']);
    expect(schemaError(fitted)).toBeUndefined();
    expect(fitted.plans.stacks[0].output).toHaveLength(LIMITS.plan);
    expect(fitted.plans.stacks[0].output.endsWith('…')).toBe(true);
    expect(fitted.errors).toHaveLength(20);
    expect(JSON.stringify(fitted.offlineDiff?.report?.changes[0].attributes[0].new)).toContain('"…"');
  });
});
