/**
 * Scale: one run split across machines by registrable domain (`--shard I/N`), and the shard
 * runs' reports merged back into the reports of one whole run (`citewatch merge`).
 */
export {
  type MergeOptions,
  mergeReports,
  OTHER_SHARD,
  parseShardReport,
  readShardReports,
  SHARD_CLOCK_WINDOW_MS,
} from './merge.js';
export {
  fnv1a32,
  formatShard,
  MAX_SHARDS,
  parseShard,
  type Shard,
  shardFilter,
  shardKey,
  shardOf,
} from './shard.js';
