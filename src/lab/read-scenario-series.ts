import type { Issue } from '../core/errors.js';
import { HolmesError } from '../core/errors.js';
import { expandSeriesValues } from './notation.js';
import type { ScenarioSeries } from './scenario.js';
import { parseSeriesSelector } from './series-selector.js';
import type { YamlSource } from '../core/yaml-source.js';
import { lineAt, sourceText } from '../core/yaml-source.js';

/**
 * Parses the `series:` entries of scenario.yaml: each selector and its values. Entries whose
 * fields have the wrong type are skipped here (the schema reports them); everything else that
 * is wrong comes back as an issue, duplicates included.
 */
export function readScenarioSeries(
  entries: unknown,
  source: YamlSource,
  now: Date,
): { series: ScenarioSeries[]; issues: Issue[] } {
  const series: ScenarioSeries[] = [];
  const issues: Issue[] = [];
  if (!Array.isArray(entries)) return { series, issues };
  const seen = new Map<string, number>();
  entries.forEach((entry: unknown, index) => {
    if (entry === null || typeof entry !== 'object') return;
    const { series: selectorText, values: valuesValue } = entry as Record<string, unknown>;
    const report = (field: string, message: string, fix?: string): void => {
      issues.push({
        path: `series[${index}].${field}`,
        message,
        file: source.file,
        line: lineAt(source, ['series', index, field]),
        ...(fix ? { fix } : {}),
      });
    };
    const attempt = <T>(field: string, parse: () => T): T | undefined => {
      try {
        return parse();
      } catch (error) {
        if (!HolmesError.isInstance(error)) throw error;
        report(field, error.message, error.fix);
        return undefined;
      }
    };
    const selector =
      typeof selectorText === 'string' && selectorText !== ''
        ? attempt('series', () => parseSeriesSelector(selectorText))
        : undefined;
    const valuesText =
      typeof valuesValue === 'string'
        ? valuesValue
        : typeof valuesValue === 'number'
          ? sourceText(source, ['series', index, 'values'])
          : undefined;
    const values =
      valuesText === undefined ? undefined : attempt('values', () => expandSeriesValues(valuesText, { now }));
    if (values !== undefined && !values.some((value) => value !== null)) {
      report(
        'values',
        `'${valuesText}' gives no samples`,
        'Give the series at least one sample; a series with only _ does not exist in Prometheus.',
      );
      return;
    }
    if (selector === undefined || values === undefined) return;
    const key = JSON.stringify([
      selector.metric,
      Object.entries(selector.labels).sort(([left], [right]) => (left < right ? -1 : 1)),
    ]);
    const first = seen.get(key);
    if (first !== undefined) {
      report(
        'series',
        `the same series as series[${first}] (line ${lineAt(source, ['series', first])})`,
        'Merge the two entries into one, or make their labels differ.',
      );
      return;
    }
    seen.set(key, index);
    series.push({ metric: selector.metric, labels: selector.labels, values, line: lineAt(source, ['series', index]) });
  });
  return { series, issues };
}
