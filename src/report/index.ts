/** The report stage: pure renderers from `Report` to text, and the one writer of report files. */
export { buildReport, countLinks, summarize, UNSOURCED_KINDS } from './build.js';
export { codeSpan, escapeMarkdown, linkUrl } from './escape.js';
export { parseReport, renderJson, reportJsonSchema, validateReport } from './json.js';
export { type ReportLine, reportLine } from './line.js';
export { CLAIM_KINDS, IDENTIFIER_KINDS, LINK_KINDS, referenceLabel, renderMarkdown } from './markdown.js';
export { renderSummary, renderSummaryLines, reportSlug, worstFirst } from './summary.js';
export { renderTrendSvg, type TrendChartPoint } from './trend.js';
export {
  assignSlugs,
  REPORT_FORMATS,
  type ReportFormat,
  ReportWriter,
  SlugAssigner,
  writeFileAtomic,
  writeReports,
} from './write.js';
