/**
 * The archive stage: finding copies of cited pages in web archives.
 */
export { trustedSnapshot, validReplay, WAYBACK_REPLAY_ORIGIN, WaybackTimestamp } from './replay.js';
export {
  availabilitySnapshot,
  cdxSnapshot,
  findSnapshot,
  GOOD_CAPTURE_STATUSES,
  type SnapshotAnswer,
  type SnapshotLookupOptions,
  toWaybackTimestamp,
  WaybackClient,
  type WaybackClientOptions,
  type WaybackEndpoints,
  type WaybackStats,
  waybackTimestampDate,
} from './wayback.js';
