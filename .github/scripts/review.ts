import { code } from '../../scripts/diff/markdown-escape';
import { renderComment, type Section } from './comment';
import type { ReviewData } from './review-data';
import { errorsSection, noPlanSection, notPlannedSection, offlineDiffSection, planSection, synthSection } from './sections';

export const COMMENT_HEADING = 'Infrastructure and workload review';

/** How the comment is rendered. */
export interface RenderOptions {
  /**
   * The fork the pull request comes from (`owner/name`), as the privileged workflow reads it from the event
   * (`workflow_run.head_repository`), never from the data: the comment then says whose code produced it.
   */
  readonly fork?: string;
}

/** What a comment built from a fork's run says first. */
function forkSection(fork: string): Section {
  return {
    title: '',
    summary: '',
    markdown: [
      '> [!WARNING]',
      `> This pull request comes from the fork ${code(fork)}, and the data of this comment was produced by the fork's own code: \`pr-review\` runs the pull request's scripts. The default branch rendered it, so it shows only values, but a changed script can report anything. Read the changes to \`scripts/\`, \`.github/\` and \`package.json\` before relying on it.`,
    ].join('\n'),
  };
}

/** The pull-request comment from review.json's data (already checked against its schema). */
export function renderReview(data: ReviewData, options: RenderOptions = {}): string {
  const { plans } = data;
  const sections: Section[] = [
    ...(options.fork !== undefined ? [forkSection(options.fork)] : []),
    ...(data.offlineDiff ? [offlineDiffSection(data.offlineDiff)] : []),
    synthSection(data.synthesized),
    ...(plans.ran ? plans.stacks.map((p) => planSection(p.stack, p.output, p.exitCode)) : [noPlanSection(plans.reason ?? 'no diffs were produced.')]),
    ...(plans.notPlanned.length > 0 ? [notPlannedSection(plans.notPlanned)] : []),
    ...(data.errors.length > 0 ? [errorsSection(data.errors)] : []),
  ];
  return renderComment(COMMENT_HEADING, sections);
}
