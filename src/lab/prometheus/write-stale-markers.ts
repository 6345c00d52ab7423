import { HolmesError } from '../../core/errors.js';
import { encodeWriteRequest, type WriteSeries } from './encode-write-request.js';

/**
 * Writes staleness markers through Prometheus's remote-write receiver. They land in the head
 * as out-of-order samples (older than the backfilled blocks' end), hence the window in
 * prometheus.yml; queries merge them with the blocks as for any scraped series.
 */
export async function writeStaleMarkers(url: string, markers: WriteSeries[]): Promise<void> {
  if (markers.length === 0) return;
  const response = await fetch(`${url}/api/v1/write`, {
    method: 'POST',
    body: encodeWriteRequest(markers),
    headers: {
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    },
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new HolmesError(
      'LAB_START_FAILED',
      `Prometheus refused the scenario's staleness markers (HTTP ${response.status}): ${text.trim()}`,
      {
        fix: 'Check that Prometheus is 2.42 or later (remote-write receiver and out-of-order window), or remove `stale` from the series.',
      },
    );
  }
}
