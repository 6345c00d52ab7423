import { describe, expect, it } from 'vitest';
import type { RangeSeries } from '../../../src/telemetry/prometheus-types.js';
import { findXids, gpuXid, type XidInput } from '../../../src/toolsets/builtins/gpu-xid.js';
import { createPodMatcher } from '../../../src/toolsets/signals/workload-scope.js';
import { dcgmCluster, dcgmProfile, exported, plain, samples } from './gpu-dcgm-fixtures.js';

const MINUTE = 60_000;
const NOW = Date.parse('2026-12-02T17:00:00Z');
const ALERT = NOW - 9 * MINUTE;
const FROM = ALERT - 180 * MINUTE;
const STEP = 30_000;
const POINTS = (NOW - FROM) / STEP + 1;
const ours = { namespace: 'docs-qa', pod: 'doc-qa-vllm-5c9f7d8b6-xk4r2' };
const input = (overrides: Partial<XidInput>): XidInput => ({
  xidSeries: [],
  countSeries: [],
  attributions: [],
  aliases: { Hostname: 'node', hostname: 'node' },
  profile: dcgmProfile('exported'),
  isOurs: createPodMatcher({ namespace: 'docs-qa', workload: 'doc-qa-vllm', pods: [ours.pod] }),
  nodes: ['hgx-b-17'],
  decode: (code) => `XID ${code} name`,
  fromMs: FROM,
  alertStartMs: ALERT,
  stepMs: STEP,
  ...overrides,
});

describe('findXids', () => {
  it('reads the birth of an err_code series as a new XID on our GPU (exporter ≥ 3.3.6, exported_* labels)', () => {
    const findings = findXids(
      input({
        xidSeries: [
          {
            labels: { ...exported('3', 'hgx-b-17', ours), err_code: '0' },
            values: samples(NOW - 31 * MINUTE, POINTS - 62, STEP, () => 0),
          },
          {
            labels: { ...exported('3', 'hgx-b-17', ours), err_code: '48' },
            values: samples(NOW - 30 * MINUTE, 2, STEP, () => 48),
          },
          { labels: { ...exported('3', 'hgx-b-17', ours), err_code: '63' }, values: samples(NOW, 61, STEP, () => 63) },
          // Another workload's GPU has held XID 13 for days: sticky, and not ours.
          {
            labels: { ...exported('5', 'hgx-b-12', { namespace: 'bi', pod: 'sql-agent-1' }), err_code: '13' },
            values: samples(NOW, POINTS, STEP, () => 13),
          },
        ],
      }),
    );

    expect(findings.dialect).toBe('per-code');
    expect(findings.ours.map((event) => [event.xid, event.serious, event.gpu, event.minutesBeforeAlert])).toEqual([
      [48, true, 'gpu 3 on hgx-b-17', 22],
      [63, false, 'gpu 3 on hgx-b-17', 21],
    ]);
    expect(findings.others).toEqual([]);
    expect(findings.sticky).toEqual([]);
  });

  it('reads a change of the value as a new XID when the exporter has no err_code (plain labels)', () => {
    const values = samples(NOW, POINTS, STEP, (index) => (index < POINTS - 62 ? 0 : index === POINTS - 62 ? 48 : 63));
    const findings = findXids(
      input({ profile: dcgmProfile('plain'), xidSeries: [{ labels: plain('3', 'hgx-b-17', ours), values }] }),
    );

    expect(findings.dialect).toBe('value-only');
    expect(findings.ours.map((event) => event.xid)).toEqual([48, 63]);
  });

  it('keeps an XID held since before the look-back apart as sticky, not new', () => {
    const findings = findXids(
      input({
        profile: dcgmProfile('plain'),
        xidSeries: [{ labels: plain('3', 'hgx-b-17', ours), values: samples(NOW, POINTS, STEP, () => 48) }],
      }),
    );

    expect(findings.ours).toEqual([]);
    expect(findings.sticky.map((event) => event.xid)).toEqual([48]);
  });

  it('counts an XID on a GPU of our node that lost its attribution as ours (fell off the bus)', () => {
    const findings = findXids(
      input({
        profile: dcgmProfile('plain'),
        xidSeries: [],
        countSeries: [
          {
            labels: { ...plain('5', 'hgx-b-17'), xid: '79' },
            values: samples(NOW, 20, STEP, (index) => (index < 5 ? 0 : 1)),
          },
        ],
      }),
    );

    expect(findings.dialect).toBe('count');
    expect(findings.ours.map((event) => [event.xid, event.gpu])).toEqual([[79, 'gpu 5 on hgx-b-17']]);
  });
});

const cluster = (byMetric: Record<string, RangeSeries[]>) => dcgmCluster(byMetric, { pod: ours.pod }, NOW);
const params = {
  namespace: ours.namespace,
  workload: 'doc-qa-vllm',
  pods: [ours.pod],
  nodes: ['hgx-b-17'],
  alert_start: new Date(ALERT).toISOString(),
};
const XID_AT = NOW - 30 * MINUTE;

describe('gpuXid graph', () => {
  it('draws the last XID of our faulted GPU against its utilisation, from the first new XID', async () => {
    const result = await gpuXid(
      params,
      cluster({
        DCGM_FI_DEV_XID_ERRORS: [
          {
            labels: plain('3', 'hgx-b-17', ours),
            values: samples(NOW, POINTS, STEP, (index) => (index * STEP < XID_AT - FROM ? 0 : 48)),
          },
        ],
        DCGM_FI_DEV_FB_USED: [
          { labels: plain('3', 'hgx-b-17', ours), values: samples(NOW, POINTS, STEP, () => 70_000) },
        ],
        DCGM_FI_DEV_GPU_UTIL: [],
      }),
    );
    expect((result.data as { ours: unknown[] }).ours).toHaveLength(1);
    expect(result.graph).toMatchObject({
      title: 'Last XID against GPU utilisation: gpu 3 on hgx-b-17',
      unit: 'count',
      rightUnit: 'percent',
      onset: new Date(XID_AT).toISOString(),
      alertStart: new Date(ALERT).toISOString(),
      series: [
        {
          query: 'max by (Hostname, hostname, node, gpu) ((DCGM_FI_DEV_XID_ERRORS{UUID=~"GPU-hgx-b-17-3"}))',
          legend: 'last XID',
          role: 'suspect',
        },
        {
          query: 'max by (Hostname, hostname, node, gpu) ((DCGM_FI_DEV_GPU_UTIL{UUID=~"GPU-hgx-b-17-3"}))',
          legend: 'GPU utilisation',
          axis: 'right',
          role: 'victim',
        },
      ],
    });
  });

  it('gives no graph when our GPUs reported no new XID', async () => {
    const result = await gpuXid(
      params,
      cluster({
        DCGM_FI_DEV_XID_ERRORS: [{ labels: plain('3', 'hgx-b-17', ours), values: samples(NOW, POINTS, STEP, () => 0) }],
        DCGM_FI_DEV_FB_USED: [
          { labels: plain('3', 'hgx-b-17', ours), values: samples(NOW, POINTS, STEP, () => 70_000) },
        ],
      }),
    );
    expect(result.status).toBe('success');
    expect(result.graph).toBeUndefined();
  });
});
