import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILTINS } from '../../src/toolsets/builtins/index.js';
import { BUILTIN_TOOLSETS_DIR, loadToolsets } from '../../src/toolsets/load-toolsets.js';

const BUILTIN_NAMES = new Set(Object.keys(BUILTINS));

const GOOD = `id: test/good
description: A toolset that loads fine.
tools:
  - name: good_tool
    description: Counts the series of a namespace.
    parameters:
      namespace: { type: label_value, description: Namespace }
    promql:
      type: instant
      queries:
        - name: result
          query: 'count({ {{#namespace}}namespace="{{namespace}}"{{/namespace}} })'
`;

function toolset(id: string, tool: string): string {
  return `id: ${id}
description: A toolset for a loader test.
tools:
${tool}`;
}

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'holmes-toolsets-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function load(files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) await writeFile(join(directory, name), text);
  return loadToolsets({ directories: [directory], builtins: BUILTIN_NAMES });
}

describe('loadToolsets', () => {
  it('loads every built-in toolset without a failure', async () => {
    const result = await loadToolsets({ directories: [BUILTIN_TOOLSETS_DIR], builtins: BUILTIN_NAMES });

    expect(result.failures).toEqual([]);
    expect(result.toolsets.map((entry) => entry.spec.id).sort()).toEqual([
      'cost/gpu',
      'cost/llm-spend',
      'fabric/network',
      'gpu/dcgm',
      'kubernetes/core',
      'kubernetes/diagnostics',
      'kubernetes/dns',
      'llm/serving',
      'prometheus/metrics',
    ]);
  });

  it('names file, path, line and fix of a malformed file while the other files still load', async () => {
    const broken = `id: test/broken
description: A toolset with a typo in one tool.
tools:
  - name: broken_tool
    description: Has an unknown key.
    promql:
      type: instant
      querys:
        - { name: result, query: up }
`;
    const result = await load({ 'a-good.yaml': GOOD, 'b-broken.yaml': broken });

    expect(result.toolsets.map((entry) => entry.spec.id)).toEqual(['test/good']);
    expect(result.failures).toHaveLength(1);
    const issues = result.failures[0]!.issues;
    expect(result.failures[0]!.file).toBe(join(directory, 'b-broken.yaml'));
    expect(issues).toContainEqual(
      expect.objectContaining({
        file: join(directory, 'b-broken.yaml'),
        path: 'tools[0].promql.querys',
        message: expect.stringContaining('unknown key querys'),
        line: 8,
        fix: expect.stringContaining('toolsets/README.md'),
      }),
    );
  });

  it('reports a YAML syntax error with its line', async () => {
    const result = await load({ 'bad.yaml': 'id: test/bad\ndescription: "unclosed\ntools: []\n' });

    expect(result.toolsets).toEqual([]);
    expect(result.failures[0]!.issues[0]).toMatchObject({
      file: join(directory, 'bad.yaml'),
      message: expect.stringContaining('YAML'),
      line: expect.any(Number),
      fix: expect.any(String),
    });
  });

  it('refuses an unknown builtin and lists the builtins that exist', async () => {
    const result = await load({
      'x.yaml': toolset(
        'test/x',
        '  - name: x_tool\n    description: Calls a builtin that does not exist.\n    builtin: gpu_teleport\n',
      ),
    });

    expect(result.failures[0]!.issues).toEqual([
      expect.objectContaining({
        path: 'tools[0].builtin',
        message: "unknown builtin 'gpu_teleport'",
        line: 6,
        fix: expect.stringContaining('gpu_sharing'),
      }),
    ]);
  });

  it('refuses a template that uses a parameter the tool does not declare', async () => {
    const tool = `  - name: x_tool
    description: Uses an undeclared parameter.
    parameters:
      namespace: { type: label_value, description: Namespace }
    promql:
      type: instant
      queries:
        - name: result
          query: 'up{namespace="{{namespace}}", pod="{{pod}}"}'
`;
    const result = await load({ 'x.yaml': toolset('test/x', tool) });

    expect(result.failures[0]!.issues).toEqual([
      expect.objectContaining({
        path: 'tools[0].promql.queries[0].query',
        message: expect.stringContaining("no parameter 'pod'"),
        line: 12,
        fix: expect.stringContaining("Declare 'pod'"),
      }),
    ]);
  });

  it('refuses an output that names an unknown decoder and says which decoders exist', async () => {
    const file = `id: test/x
description: A toolset whose decoder name has a typo.
decoders:
  xid: { type: map, values: { "79": fell off the bus } }
tools:
  - name: x_tool
    description: Decodes with a decoder that does not exist.
    promql:
      type: instant
      queries:
        - { name: result, query: DCGM_FI_DEV_XID_ERRORS, output: { decode: xids } }
`;
    const result = await load({ 'x.yaml': file });

    expect(result.failures[0]!.issues).toEqual([
      expect.objectContaining({
        path: 'tools[0].promql.queries[0].output.decode',
        message: "unknown decoder 'xids'",
        line: 11,
        fix: expect.stringContaining('have: xid'),
      }),
    ]);
  });

  it('refuses a join on a range tool', async () => {
    const tool = `  - name: x_tool
    description: Joins rows of a range query.
    promql:
      type: range
      join: [pod]
      queries:
        - { name: result, query: up }
`;
    const result = await load({ 'x.yaml': toolset('test/x', tool) });

    expect(result.failures[0]!.issues).toEqual([
      expect.objectContaining({
        path: 'tools[0].promql.join',
        message: 'join applies to instant queries only',
        line: 8,
      }),
    ]);
  });

  it('refuses a tool name already defined by another file, with the line, and keeps the first', async () => {
    const clash = toolset(
      'test/other',
      '  - name: good_tool\n    description: Same name as in the good file.\n    builtin: prometheus_rules\n',
    );
    const result = await load({ 'a-good.yaml': GOOD, 'b-clash.yaml': clash });

    expect(result.toolsets.map((entry) => entry.spec.id)).toEqual(['test/good']);
    expect(result.failures[0]!.issues).toEqual([
      expect.objectContaining({
        file: join(directory, 'b-clash.yaml'),
        path: 'tools[0].name',
        message: expect.stringContaining(`'good_tool' is already defined in ${join(directory, 'a-good.yaml')}`),
        line: 4,
        fix: expect.any(String),
      }),
    ]);
  });

  it('refuses a tool name used twice in one file and a toolset id used twice', async () => {
    const twice = toolset(
      'test/twice',
      '  - name: same\n    description: The first of two.\n    builtin: prometheus_rules\n  - name: same\n    description: The second of two.\n    builtin: prometheus_rules\n',
    );
    const sameId = GOOD.replace('good_tool', 'another_tool');
    const result = await load({ 'a-good.yaml': GOOD, 'b-same-id.yaml': sameId, 'c-twice.yaml': twice });

    expect(result.toolsets.map((entry) => entry.spec.id)).toEqual(['test/good']);
    const byFile = Object.fromEntries(
      result.failures.map((failure) => [failure.file.slice(directory.length + 1), failure.issues]),
    );
    expect(byFile['b-same-id.yaml']).toEqual([
      expect.objectContaining({
        path: 'id',
        message: expect.stringContaining('test/good is already defined'),
        line: 1,
      }),
    ]);
    expect(byFile['c-twice.yaml']).toEqual([
      expect.objectContaining({
        path: 'tools[1].name',
        message: expect.stringContaining('appears twice (first at tools[0])'),
        line: 7,
      }),
    ]);
  });

  it('reports a directory it cannot read and still loads the others', async () => {
    await writeFile(join(directory, 'good.yaml'), GOOD);
    const result = await loadToolsets({
      directories: [join(directory, 'missing'), directory],
      builtins: BUILTIN_NAMES,
    });

    expect(result.toolsets).toHaveLength(1);
    expect(result.failures).toEqual([
      {
        file: join(directory, 'missing'),
        issues: [
          expect.objectContaining({
            message: expect.stringContaining('ENOENT'),
            fix: expect.stringContaining('toolsets.directories'),
          }),
        ],
      },
    ]);
  });
});
