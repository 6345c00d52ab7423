// Finer than the chart's own five splits: the margin is sized for any label the chart might choose.
const SPLITS = 10;

function niceStep(span: number): number {
  const raw = span / SPLITS;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 3 ? 3 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/**
 * The ticks an axis over these values will probably show (nice steps, as the chart picks them),
 * so the margin can be as wide as the widest label before the chart is drawn.
 */
export function estimateTicks(values: number[], fromZero: boolean): number[] {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return [0, 1];
  let min = Math.min(...finite);
  let max = Math.max(...finite);
  if (fromZero) {
    min = Math.min(0, min);
    max = Math.max(0, max);
  }
  if (max === min) return [min];
  const step = niceStep(max - min);
  const ticks: number[] = [];
  for (let tick = Math.floor(min / step) * step; tick <= max + step * 0.999 && ticks.length < 50; tick += step)
    ticks.push(Number(tick.toPrecision(12)));
  return ticks;
}
