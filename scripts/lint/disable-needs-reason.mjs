// An oxlint JS plugin (ESLint's rule API) with one rule: every `eslint-disable` / `oxlint-disable`
// comment says why, after ` -- ` on the same line. A disabled rule without a reason is a finding nobody
// can review later.
const DIRECTIVE = /^\s*(?:eslint|oxlint)-disable/;
const REASON = / -- \S/;

const disableNeedsReason = {
  meta: {
    type: 'suggestion',
    schema: [],
    messages: { missing: "say why the rule is disabled: '// oxlint-disable-next-line <rule> -- <reason>'" },
  },
  create: (context) => ({
    Program() {
      for (const comment of context.sourceCode.getAllComments()) {
        if (DIRECTIVE.test(comment.value) && !REASON.test(comment.value)) context.report({ loc: comment.loc, messageId: 'missing' });
      }
    },
  }),
};

export default { meta: { name: 'project' }, rules: { 'disable-needs-reason': disableNeedsReason } };
