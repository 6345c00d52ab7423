import type { Alert } from '../core/alert.js';
import type { CauseClass } from '../core/causes.js';
import type { KubeObject } from '../core/kube-object.js';

/** One sample of the expanded notation: a number, a missing sample (`_`), or a staleness marker. */
export type SampleValue = number | null | 'stale';

export interface ScenarioSeries {
  metric: string;
  labels: Record<string, string>;
  /** Right-aligned to `Scenario.now`: sample i lies at now - (values.length - 1 - i) * interval. */
  values: SampleValue[];
  /** 1-based line of the entry in scenario.yaml, for messages. */
  line?: number;
}

export interface ScenarioLog {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
  /** Lines with `now-<duration>` prefixes and `{{now-<duration>}}` placeholders already substituted. */
  lines: string[];
}

/** A scenario loaded and expanded: everything the lab needs to make it live. */
export interface Scenario {
  id: string;
  title: string;
  class: CauseClass;
  /** Absolute path of the scenario folder. */
  dir: string;
  intervalMs: number;
  /** The moment of investigation every time in the scenario is relative to. */
  now: Date;
  /** The alert as an Alertmanager webhook would carry it (startsAt resolved, status firing). */
  alert: Alert;
  series: ScenarioSeries[];
  objects: KubeObject[];
  logs: ScenarioLog[];
  expected: { rootCause: string; mentions: string[] };
}
