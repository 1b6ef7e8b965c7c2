/**
 * The archive stage: finding copies of cited pages in web archives.
 */
export {
  availabilitySnapshot,
  cdxSnapshot,
  findSnapshot,
  type SnapshotLookupOptions,
  toWaybackTimestamp,
  type WaybackEndpoints,
  waybackTimestampDate,
} from './wayback.js';
