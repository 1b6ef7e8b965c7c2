/**
 * The fix stage: suggestions for dead links, and the wikitext patch that applies them.
 */
export { archiveParams, deadLinkTemplate, paramSafe, snapshotDate } from './format.js';
export { suggestFix } from './suggestions.js';
export {
  findTemplates,
  isCitationTemplate,
  maskInert,
  type Template,
  type TemplateParam,
} from './templates.js';
export {
  type PatchAction,
  type PatchResult,
  patchWikitext,
  type SkipReason,
  type WikitextFix,
} from './wikitext-patch.js';
