import { join } from 'node:path';
import { parseDependencyTree } from 'dpdm';
import { describe, expect, it } from 'vitest';
import { ROOT } from './run-cli.js';

// Packages `holmes --help` must not load: commands import them lazily, when they run.
const HEAVY = ['pino', 'pino-pretty', 'yaml', 'zod', '@kubernetes/client-node', 'js-tiktoken', 'jsonata', 'mustache'];

/**
 * Files and packages loaded when `entry` is imported, following static imports only: `import
 * type` is erased (transform) and `import()` runs later, if at all. Packages are not followed
 * into; what they import themselves is their own affair.
 */
async function staticImports(entry: string): Promise<{ files: string[]; packages: string[] }> {
  const tree = await parseDependencyTree([entry], {
    context: ROOT,
    cwd: ROOT,
    transform: true,
    skipDynamicImports: true,
  });
  const ids = new Set(
    Object.values(tree).flatMap((dependencies) =>
      (dependencies ?? []).map((dependency) => dependency.id ?? dependency.request),
    ),
  );
  const packages = [...ids]
    .map((id) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id)?.[1])
    .filter((name): name is string => name !== undefined);
  return { files: Object.keys(tree).filter((id) => id.startsWith('src/')), packages: [...new Set(packages)].sort() };
}

describe('createProgram', () => {
  it('imports no heavy package statically when main.ts loads for --help', async () => {
    const { files, packages } = await staticImports(join(ROOT, 'src/cli/main.ts'));
    expect(files).toEqual(expect.arrayContaining(['src/cli/main.ts', 'src/cli/program.ts']));
    expect(packages).toContain('commander');
    expect(packages.filter((name) => HEAVY.includes(name))).toEqual([]);
    // Nothing from the engine either: config, lab, telemetry and toolsets load with their command
    // (the errors and the version reader import nothing but node:fs).
    const light = ['src/cli/', 'src/core/errors', 'src/core/holmes-version'];
    expect(files.filter((file) => !light.some((prefix) => file.startsWith(prefix)))).toEqual([]);
  });

  it('finds a heavy package when a module imports it statically, so the check above can fail', async () => {
    const { packages } = await staticImports(join(ROOT, 'src/cli/commands/config-show.ts'));
    expect(packages).toContain('yaml');
    const logger = await staticImports(join(ROOT, 'src/core/logger.ts'));
    expect(logger.packages).toContain('pino');
  });
});
