import { createHash } from 'node:crypto';
import type { Alert } from '../../core/alert.js';

/**
 * The group of a notification that names none (no `groupKey`: a hand-made body): its set of
 * alert fingerprints, hashed to a fixed length. The key is stored on every alert of the group,
 * so it must not grow with the group — 10,000 fingerprints joined would be 170 KB per row.
 */
export function fallbackGroupKey(alerts: ReadonlyArray<Pick<Alert, 'fingerprint'>>): string {
  const hash = createHash('sha256');
  for (const fingerprint of [...new Set(alerts.map((alert) => alert.fingerprint))].sort())
    hash.update(fingerprint).update('\n');
  return `fingerprints:${hash.digest('hex')}`;
}
