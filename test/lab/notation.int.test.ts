import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandSeriesValues } from '../../src/lab/notation.js';

const run = promisify(execFile);

// Forms whose reading differs between careless implementations: repeated addition, _xn, octal, signs.
const CASES = [
  '1 _x3 5',
  '0.1+0.1x10',
  '-2+4x3',
  '-1-1x2',
  '1.5e-2+1e-3x4',
  '_x0 7',
  '1e3x2 1E+2x1',
  '+1x2 .5x2 1.x1',
  '0x10',
  '010 08 0010.5',
  '1x010',
  '1 +2x3',
  '1 stale 2',
  '  1   2  ',
  '0.1+0.2x1 5-0.3x6',
  '1 _ 2 _x2 3 _x0',
];

// `@now` forms beside the plain notation promtool reads for the same instant (now = 1700000000 s).
const NOW = new Date(1_700_000_000_000);
const TIME_CASES: Array<[ours: string, promtool: string]> = [
  ['@now-2hx3', '1699992800x3'],
  ['@now-1h+30x4', '1699996400+30x4'],
  ['@now+30d', '1702592000'],
  ['_x2 @now-5m 1', '_x2 1699999700 1'],
];

interface NotationCase {
  /** What promtool reads. */
  values: string;
  /** What our expansion made of the same samples. */
  expanded: ReturnType<typeof expandSeriesValues>;
}

/** A promtool unit test asserting, for each case, every sample as our expansion places it. */
function promtoolTest(cases: NotationCase[]): unknown {
  const input_series = cases.map(({ values }, index) => ({ series: `notation{case="${index}"}`, values }));
  const promql_expr_test = cases.flatMap(({ expanded }, index) => {
    const selector = `notation{case="${index}"}`;
    const present = expanded.filter((value) => typeof value === 'number').length;
    return [
      // How many real samples promtool wrote: catches a wrong count of `_xn` or `axn`.
      {
        expr: `count_over_time(${selector}[1d])`,
        eval_time: `${expanded.length - 1}m`,
        exp_samples: [{ labels: `{case="${index}"}`, value: present }],
      },
      ...expanded.flatMap((value, minute) => {
        if (value === null) return [];
        if (value === 'stale') return [{ expr: selector, eval_time: `${minute}m`, exp_samples: [] }];
        // timestamp() - t is 0 only when the sample sits exactly at minute t, so this checks place and value.
        const expr = `timestamp(${selector}) - ${minute * 60} + ${selector}`;
        return [{ expr, eval_time: `${minute}m`, exp_samples: [{ labels: `{case="${index}"}`, value }] }];
      }),
    ];
  });
  return { tests: [{ interval: '1m', input_series, promql_expr_test }] };
}

describe('expandSeriesValues against promtool', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'holmes-notation-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function promtool(cases: NotationCase[]): Promise<{ ok: boolean; output: string }> {
    const file = join(dir, `notation-${cases.length}.test.yml`);
    // JSON is YAML; numbers print in their shortest exact form, so promtool compares exact values.
    await writeFile(file, JSON.stringify(promtoolTest(cases), null, 1));
    return run('promtool', ['test', 'rules', file]).then(
      ({ stdout }) => ({ ok: true, output: stdout }),
      (error: { stdout?: string; stderr?: string; message: string }) => ({
        ok: false,
        output: `${error.stdout ?? ''}${error.stderr ?? error.message}`,
      }),
    );
  }

  it('places every sample where promtool test rules does when both read the same notation', async () => {
    const result = await promtool(CASES.map((values) => ({ values, expanded: expandSeriesValues(values) })));
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toContain('SUCCESS');
  });

  it('reads @now terms as promtool reads the Unix seconds they stand for', async () => {
    const cases = TIME_CASES.map(([ours, values]) => ({ values, expanded: expandSeriesValues(ours, { now: NOW }) }));
    const result = await promtool(cases);
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toContain('SUCCESS');
  });
});
