import type { IConstruct } from 'constructs';
import { TerraformResource, type IAspect } from '../cdktf';

/** A resource that accepts Azure tags. */
interface Taggable {
  tags?: Record<string, string>;
  readonly tagsInput?: Record<string, string>;
}

function isTaggable(node: IConstruct): node is TerraformResource & Taggable {
  return node instanceof TerraformResource && 'tagsInput' in node;
}

/**
 * Applies tags to every taggable resource below the scope it is added to, so a resource added later
 * cannot be forgotten. Tags a resource sets itself win.
 */
export class TagsAspect implements IAspect {
  constructor(private readonly tags: Readonly<Record<string, string>>) {}

  public visit(node: IConstruct): void {
    if (isTaggable(node)) {
      node.tags = { ...this.tags, ...node.tagsInput };
    }
  }
}
