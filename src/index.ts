/**
 * citewatch's public API.
 */
export { requestCaptures } from './archive/spn.js';
export { AUDIT_KIND_DESCRIPTIONS, AUDIT_KINDS, auditArticle } from './audit/index.js';
export { CHECK_FINDING_KINDS, checkArticles, checkFindings } from './check/index.js';
export { DEFAULTS, ENDPOINTS, VERSION } from './defaults.js';
export * from './errors.js';
export { detectFormat, type ExtractInput, extractArticle } from './extract/index.js';
export { evaluateFailOn } from './fail-on.js';
export { patchWikitext, suggestFix } from './fix/index.js';
export { applyHistory, diffRuns, openHistory, planChecks } from './history/index.js';
export { readArticleFiles } from './input/files.js';
export { type LoadedArticle, loadArticles } from './input/load.js';
export * from './model.js';
export { createFetcher, fetcherOptionsFromDefaults } from './net/index.js';
export { type CheckOptions, resolveCheckOptions } from './options.js';
export { type RunDeps, type RunResult, runCheck } from './pipeline.js';
export {
  buildReport,
  type ReportLine,
  renderJson,
  renderMarkdown,
  renderSummary,
  renderSummaryLines,
  renderTrendSvg,
  reportJsonSchema,
  reportLine,
  validateReport,
} from './report/index.js';
