/** One sample of a series: time in ms and a finite value. */
export interface Point {
  t: number;
  v: number;
}

export interface ChangeOptions {
  alertStartMs: number;
  nowMs: number;
  /** How far before the alert a change may have begun (alerts fire late: `for:`, burn-rate windows). */
  searchBeforeMs?: number;
  /** The baseline is at most this long, ending at the onset (or before the alert when there is none). */
  baselineMs?: number;
}

/** What a series did around an alert: where it changed, and its level before and after. */
export interface Change {
  /** When the change began (ms), or null when the series shows no clear change. */
  onsetMs: number | null;
  /** Median of the baseline: before the onset, or before the alert when there is no onset. */
  before: number | null;
  /** Median since the onset (or since the alert started when there is none). */
  after: number | null;
  /** Highest and lowest value since the onset (or the alert). */
  peak: number | null;
  low: number | null;
  /** Median of the last few minutes: tells a change that lasts from one that already recovered. */
  last: number | null;
  baseline: { fromMs: number; toMs: number };
  recent: { fromMs: number; toMs: number };
}

const MINUTE = 60_000;
const MIN_SEGMENT = 4;
/** How strong a step must be (Welch's t) to count as an onset rather than noise. */
const MIN_T = 5;
/** …and how large, against the level before, so a tiny but steady shift is not an onset. */
const MIN_RELATIVE = 0.15;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function between(points: Point[], fromMs: number, toMs: number): number[] {
  return points.filter((point) => point.t >= fromMs && point.t < toMs).map((point) => point.v);
}

/**
 * The split that best separates the series into a level before and a level after (Welch's
 * t-statistic of the two means, from prefix sums), searched only where a cause of this alert
 * could have begun. Null when no split is both clear (t) and large (relative to the level before).
 */
function findOnset(points: Point[], fromMs: number, toMs: number, baselineMs: number): number | null {
  const n = points.length;
  if (n < 2 * MIN_SEGMENT) return null;
  const sum = [0];
  const squares = [0];
  for (const point of points) {
    sum.push(sum.at(-1)! + point.v);
    squares.push(squares.at(-1)! + point.v * point.v);
  }
  let best: { index: number; score: number } | undefined;
  // The level before a split is its own recent past (one baseline long), not the whole history.
  let start = 0;
  for (let index = MIN_SEGMENT; index <= n - MIN_SEGMENT; index += 1) {
    const t = points[index]!.t;
    while (points[start]!.t < t - baselineMs) start += 1;
    if (t < fromMs || t > toMs || index - start < MIN_SEGMENT) continue;
    const left = index - start;
    const right = n - index;
    const leftMean = (sum[index]! - sum[start]!) / left;
    const rightMean = (sum[n]! - sum[index]!) / right;
    const leftVar = Math.max(0, (squares[index]! - squares[start]!) / left - leftMean * leftMean);
    const rightVar = Math.max(0, (squares[n]! - squares[index]!) / right - rightMean * rightMean);
    const spread = Math.sqrt(leftVar / left + rightVar / right);
    // A flat series on both sides has no spread: any difference at all is a clear step.
    const score = spread > 0 ? Math.abs(rightMean - leftMean) / spread : rightMean !== leftMean ? Infinity : 0;
    const relative = Math.abs(rightMean - leftMean) / Math.max(Math.abs(leftMean), Math.abs(rightMean) * 0.05, 1e-9);
    if (score >= MIN_T && relative >= MIN_RELATIVE && (!best || score > best.score)) best = { index, score };
  }
  return best ? points[best.index]!.t : null;
}

/**
 * Measures a change from its onset, not in fixed windows before the alert: alerts fire late, so a
 * request rate that stepped ×14 thirty minutes before the alert must read ×14, not ×2.
 */
export function analyseChange(samples: Point[], options: ChangeOptions): Change {
  const points = samples.filter((point) => Number.isFinite(point.v)).sort((left, right) => left.t - right.t);
  const searchBeforeMs = options.searchBeforeMs ?? 2 * 60 * MINUTE;
  const baselineMs = options.baselineMs ?? 60 * MINUTE;
  // A change that begins after the alert fired is not what the alert is about; a few minutes of slack.
  const onsetMs = findOnset(
    points,
    options.alertStartMs - searchBeforeMs,
    options.alertStartMs + 5 * MINUTE,
    baselineMs,
  );
  const recentFrom = onsetMs ?? options.alertStartMs;
  // Without an onset the baseline ends a little before the alert, clear of a slow start.
  const baselineTo = onsetMs ?? options.alertStartMs - 15 * MINUTE;
  const baselineFrom = baselineTo - baselineMs;
  const recent = between(points, recentFrom, options.nowMs + 1);
  // A just-fired alert has a few samples at most: the latest one stands for "after".
  const after = recent.length > 0 ? recent : points.slice(-1).map((point) => point.v);
  const tail = between(points, options.nowMs - 5 * MINUTE, options.nowMs + 1);
  return {
    onsetMs,
    before: median(between(points, baselineFrom, baselineTo)),
    after: median(after),
    peak: after.length > 0 ? Math.max(...after) : null,
    low: after.length > 0 ? Math.min(...after) : null,
    last: median(tail.length > 0 ? tail : after.slice(-1)),
    baseline: { fromMs: baselineFrom, toMs: baselineTo },
    recent: { fromMs: recentFrom, toMs: options.nowMs },
  };
}
