/**
 * citewatch's public API. The CLI uses only what is exported here.
 */
export { auditArticle } from './audit/index.js';
export { DEFAULTS, ENDPOINTS, VERSION } from './defaults.js';
export * from './errors.js';
export { detectFormat, type ExtractInput, extractArticle } from './extract/index.js';
export { evaluateFailOn } from './fail-on.js';
export { readArticleFiles } from './input/files.js';
export * from './model.js';
export { type CheckOptions, resolveCheckOptions } from './options.js';
export { loadArticles, type RunResult, runCheck } from './pipeline.js';
export { buildReport, renderJson, renderMarkdown, renderSummary, reportJsonSchema } from './report/index.js';
