import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HolmesConfig } from '../config/config-schema.js';
import { HolmesError } from '../core/errors.js';
import type { GraphFailure } from '../graphs/render-result-graphs.js';
import type { WithGraphs } from '../graphs/result-graphs.js';
import type { PrometheusClient } from '../telemetry/prometheus-types.js';

/** A graph written to disk, for the report. */
export interface GraphFile {
  index: number;
  title: string;
  path: string;
}

/** Creates the `--graphs` directory before anything is investigated, so a bad path fails at once. */
export async function prepareGraphDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new HolmesError(
      'USAGE',
      `Cannot create the graphs directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
      {
        fix: 'Give --graphs a directory you can write to, e.g. --graphs ./graphs.',
      },
    );
  }
}

/**
 * Draws a finished result's graphs and writes them as `<id>-<n>.png` in `dir`. What could not be
 * drawn or written is returned as failures; nothing here fails the investigation.
 */
async function writeResultGraphs(
  result: WithGraphs & { id: string },
  prometheus: PrometheusClient | undefined,
  dir: string,
): Promise<{ files: GraphFile[]; failures: GraphFailure[] }> {
  const { renderResultGraphs } = await import('../graphs/render-result-graphs.js');
  const { graphs, failures } = await renderResultGraphs(result, prometheus);
  const files: GraphFile[] = [];
  const safeId = result.id.replace(/[^A-Za-z0-9._-]/g, '_');
  for (const graph of graphs) {
    const path = join(dir, `${safeId}-${graph.index}.png`);
    try {
      await writeFile(path, graph.png);
      files.push({ index: graph.index, title: graph.title, path });
    } catch (error) {
      failures.push({
        index: graph.index,
        title: graph.title,
        code: 'USAGE',
        message: `could not write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      });
    }
  }
  failures.sort((left, right) => left.index - right.index);
  return { files, failures };
}

export type GraphWriter = (
  result: WithGraphs & { id: string; notChecked: string[] },
) => Promise<{ files: GraphFile[]; failures: GraphFailure[] }>;

/**
 * What `--graphs DIR` does once an investigation has finished, from the same sources (a lab is
 * still up): write its graphs, and list what could not be drawn under the result's NOT CHECKED.
 */
export function createGraphWriter(dir: string, config: HolmesConfig): GraphWriter {
  let prometheus: PrometheusClient | undefined;
  return async (result) => {
    const [{ describeGraphFailure }, { prometheusFromConfig }] = await Promise.all([
      import('../graphs/render-result-graphs.js'),
      import('../telemetry/clients-from-config.js'),
    ]);
    prometheus ??= prometheusFromConfig(config);
    const written = await writeResultGraphs(result, prometheus, dir);
    result.notChecked.push(...written.failures.map(describeGraphFailure));
    return written;
  };
}

/** The GRAPHS section of a report: each file, and each graph that was not drawn. */
export function renderGraphFiles(files: GraphFile[], failures: GraphFailure[]): string {
  if (files.length === 0 && failures.length === 0) return '';
  const lines = ['GRAPHS'];
  const entries = [
    ...files.map((file) => ({ index: file.index, text: `${file.title} → ${file.path}` })),
    ...failures.map((failure) => ({
      index: failure.index,
      text: `${failure.title}: not rendered: ${failure.message}`,
    })),
  ].sort((left, right) => left.index - right.index);
  for (const entry of entries) lines.push(`  ${entry.index}. ${entry.text}`);
  return `${lines.join('\n')}\n`;
}
