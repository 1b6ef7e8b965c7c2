/**
 * The check stage: cited links, archive copies and identifiers over the network (through
 * `net/`), classified, judged across runs and turned into findings.
 */
export { type ArxivOptions, readArxivFeed, resolveArxivIds } from './arxiv.js';
export { assessChallenge, challengeHeader, isChallenge } from './challenge.js';
export { type Classification, classifyResponse } from './classify.js';
export { resolveDoi } from './doi.js';
export {
  ARXIV_INTERVAL_MS,
  type CheckEndpoints,
  resolveCheckEndpoints,
  serviceHostLimits,
} from './endpoints.js';
export {
  CHECK_FINDING_KINDS,
  type CheckFindingKind,
  type CheckFindingOptions,
  checkFindings,
} from './findings.js';
export { HANDLE_ENDPOINT, resolveHandle } from './handle.js';
export { encodeHandlePath, HANDLE_RESPONSE_CODES, queryHandle } from './handle-api.js';
export {
  checkIdentifiers,
  type IdentifierEndpoints,
  type IdentifierRef,
  type IdentifierRunDeps,
  type IdentifierRunOptions,
  identifierKey,
  NETWORK_IDENTIFIER_KINDS,
  offlineIdentifierCheck,
  resolverUrl,
} from './identifiers.js';
export { type PageSignals, readPage } from './page.js';
export { assessParked, isParked } from './parked.js';
export { detectRestriction, type Restriction } from './paywall.js';
export { ESUMMARY_MAX_IDS, type PubmedOptions, resolvePmids } from './pubmed.js';
export { describeReason } from './reasons.js';
export {
  compilePattern,
  compileRules,
  type LinkRuleSources,
  type LinkRules,
  NO_RULES,
  type Override,
  parseAccept,
  type RuleDecision,
  type UrlPattern,
} from './rules.js';
export {
  CHECKED_OUTCOMES,
  type CheckDeps,
  type CheckObservation,
  type CheckOptions,
  type CheckProgress,
  type CheckRun,
  checkArticles,
  checkLinks,
  fetchedAsPage,
  type LinkResults,
  LinkTable,
  type LinkTableOptions,
  normalizeTargetUrl,
  type ReusedObservation,
  type SnapshotLookup,
} from './run.js';
export { type IdentifierResolution, MAX_SERVICE_BODY } from './service.js';
export {
  type AnsweredPage,
  assessSoft404,
  isSoft404,
  matchesNotFoundPage,
  SOFT_404_WEIGHTS,
  type Soft404Assessment,
} from './soft-404.js';
export { isDeepUrl, isSiteRoot, looksLikeErrorUrl, looksLikeLoginUrl } from './url-shape.js';
export {
  CONFIRM_SLACK_MS,
  confirmIntervalOf,
  decideVerdict,
  type IdentifierObservation,
  identifierOutcome,
  identifierVerdict,
  type Observation,
  spanToInterval,
  type VerdictOptions,
  type VerdictState,
} from './verdict.js';
