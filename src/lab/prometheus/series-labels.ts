import { HolmesError, formatIssue, type Issue } from '../../core/errors.js';
import type { ScenarioSeries } from '../scenario.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * The label set Prometheus stores for each series (`__name__` first, empty values dropped as
 * Prometheus drops them), after checking what promtool would otherwise reject late or, for a
 * repeated series, silently: its second copy's older samples are dropped as out of order.
 */
export function seriesLabels(series: ScenarioSeries[]): Record<string, string>[] {
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  const result = series.map((entry, index) => {
    const path = `series[${index}]`;
    const line = entry.line;
    if (!METRIC_NAME.test(entry.metric)) {
      issues.push({
        path,
        line,
        message: `Metric name '${entry.metric}' is not a valid Prometheus name.`,
        fix: 'Use letters, digits, `_` and `:`, not starting with a digit.',
      });
    }
    const labels: Record<string, string> = { __name__: entry.metric };
    for (const name of Object.keys(entry.labels).sort()) {
      const value = entry.labels[name] ?? '';
      if (!LABEL_NAME.test(name) || name === '__name__') {
        issues.push({
          path: `${path}.labels.${name}`,
          line,
          message: `Label name '${name}' is not a valid Prometheus label name.`,
          fix: 'Use letters, digits and `_`, not starting with a digit; the metric name goes before the braces.',
        });
      }
      if (value !== '') labels[name] = value;
    }
    const identity = JSON.stringify(labels);
    const earlier = seen.get(identity);
    if (earlier === undefined) {
      seen.set(identity, index);
    } else {
      issues.push({
        path,
        line,
        message: `Series ${identity} repeats series[${earlier}].`,
        fix: 'Write each series once; join the two values strings into one.',
      });
    }
    return labels;
  });
  const [first] = issues;
  if (first !== undefined) {
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new HolmesError('SCENARIO_INVALID', `Series cannot be loaded into Prometheus: ${formatIssue(first)}${more}`, {
      issues,
      fix: 'Correct the series listed in the issues.',
    });
  }
  return result;
}
