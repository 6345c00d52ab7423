import type { Sample } from '../telemetry/prometheus-types.js';
import type { GraphPoint } from './graph-data.js';

// A sample further than this many steps from the previous one means the series was absent between them.
const GAP_STEPS = 1.5;

/**
 * Turns Prometheus samples into line points: NaN and ±Inf become gaps (a value that cannot be
 * placed on an axis), and so does a missing stretch, so the line breaks instead of bridging it.
 */
export function toLinePoints(samples: Sample[], stepSeconds: number): GraphPoint[] {
  const points: GraphPoint[] = [];
  let previous: number | undefined;
  for (const [seconds, value] of [...samples].sort((left, right) => left[0] - right[0])) {
    if (previous !== undefined && seconds - previous > stepSeconds * GAP_STEPS)
      points.push([(previous + stepSeconds) * 1000, null]);
    points.push([seconds * 1000, Number.isFinite(value) ? value : null]);
    previous = seconds;
  }
  return points;
}
