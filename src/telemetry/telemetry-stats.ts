/** One request a telemetry client sent, or refused to send; feeds "queries per investigation". */
export interface TelemetryRequestEvent {
  target: 'prometheus' | 'kubernetes';
  method: string;
  /** Path and query string exactly as sent (or as it would have been sent, when refused). */
  request: string;
  outcome: 'success' | 'error' | 'refused';
  /** HTTP status, when a response arrived. */
  status?: number;
  durationMs: number;
}

export interface TelemetryStats {
  /** Requests that went out on the network, whatever their answer. */
  requests: number;
  /** Of those, the ones that failed (connection error, timeout, error status). */
  errors: number;
  /** Requests the read-only guard stopped before they were sent. */
  refused: number;
}

export type TelemetryRequestListener = (event: TelemetryRequestEvent) => void;

export interface TelemetryStatsRecorder {
  record(event: TelemetryRequestEvent): void;
  snapshot(): TelemetryStats;
}

export function createTelemetryStats(onRequest?: TelemetryRequestListener): TelemetryStatsRecorder {
  const stats: TelemetryStats = { requests: 0, errors: 0, refused: 0 };
  return {
    record(event) {
      if (event.outcome === 'refused') stats.refused += 1;
      else stats.requests += 1;
      if (event.outcome === 'error') stats.errors += 1;
      onRequest?.(event);
    },
    snapshot: () => ({ ...stats }),
  };
}
