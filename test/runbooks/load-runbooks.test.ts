import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAUSE_IDS } from '../../src/core/causes.js';
import { BUILTIN_RUNBOOKS_DIR, loadRunbooks } from '../../src/runbooks/load-runbooks.js';

const GOOD = `---
id: my-cause
title: A cause of my own
class: kubernetes
candidate: { alerts: [mine] }
checks:
  - id: key
    description: a key check
    tool: kubernetes_list
    params: { kind: Pod, namespace: '{{namespace}}' }
    supports: '$count(data) > 0'
    weight: 3
    required: true
    explain: { supports: 'pods exist in {{namespace}}' }
remediation:
  - title: Do the thing
---
# Body
`;

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'holmes-runbooks-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('loadRunbooks', () => {
  it('loads a runbook for every cause of the vocabulary from the built-in folder, with none broken', async () => {
    const { runbooks, failures } = await loadRunbooks([BUILTIN_RUNBOOKS_DIR]);
    expect(failures).toEqual([]);
    expect(runbooks.map((runbook) => runbook.id).sort()).toEqual([...CAUSE_IDS].sort());
    for (const runbook of runbooks) {
      expect(runbook.body.length, `${runbook.id} has a body`).toBeGreaterThan(200);
      expect(runbook.checks.some((check) => check.required) || runbook.checks.length > 0).toBe(true);
    }
  });

  it('names the file, field and line of a wrong type, and still loads the good runbooks', async () => {
    const broken = GOOD.replace('weight: 3', 'weight: heavy');
    const dir = folder({ 'good.md': GOOD, 'broken.md': broken.replace('id: my-cause', 'id: other-cause') });
    const { runbooks, failures } = await loadRunbooks([dir]);
    expect(runbooks.map((runbook) => runbook.id)).toEqual(['my-cause']);
    expect(failures).toHaveLength(1);
    const issue = failures[0]!.issues[0]!;
    expect(issue.file).toContain('broken.md');
    expect(issue.path).toBe('checks[0].weight');
    expect(issue.line).toBe(12);
  });

  it('reports an unknown key with its line', async () => {
    const dir = folder({ 'typo.md': GOOD.replace('    weight: 3', '    wieght: 3\n    weight: 3') });
    const { failures } = await loadRunbooks([dir]);
    expect(failures[0]!.issues[0]).toMatchObject({ path: 'checks[0].wieght', line: 12 });
  });

  it('rejects an invalid JSONata expression at load time, naming the field', async () => {
    const dir = folder({ 'bad-expr.md': GOOD.replace("'$count(data) > 0'", "'$count(data > '") });
    const { failures } = await loadRunbooks([dir]);
    expect(failures[0]!.issues[0]!.path).toBe('checks[0].supports');
    expect(failures[0]!.issues[0]!.message).toContain('JSONata');
  });

  it('rejects a file without front matter', async () => {
    const { failures } = await loadRunbooks([folder({ 'plain.md': '# just text\n' })]);
    expect(failures[0]!.issues[0]!.message).toContain('front matter');
  });

  it('lets a user runbook replace a built-in one with the same id', async () => {
    const custom = GOOD.replace('id: my-cause', 'id: oom-killed');
    const { runbooks } = await loadRunbooks([BUILTIN_RUNBOOKS_DIR, folder({ 'oom.md': custom })]);
    expect(runbooks.find((runbook) => runbook.id === 'oom-killed')!.title).toBe('A cause of my own');
  });

  it('reports a missing directory instead of throwing', async () => {
    const { failures } = await loadRunbooks(['/nonexistent/runbooks']);
    expect(failures[0]!.issues[0]!.fix).toContain('runbooks.directories');
  });

  describe('the fix under ## Fix in the body', () => {
    // GOOD with its remediation moved from the front matter to the body.
    const inBody = (steps: string) => `${GOOD.replace('remediation:\n  - title: Do the thing\n', '')}
**Goal.** Find it.

## Fix

Undo it.

${steps}`;
    const STEPS =
      '### Restart {{namespace}}\n\nSafe to repeat.\n\n```sh\nkubectl -n {{namespace}} rollout restart deploy/x\n```\n';

    it('loads its steps as the remediation, and keeps the prose without them as the body', async () => {
      const { runbooks, failures } = await loadRunbooks([folder({ 'mine.md': inBody(STEPS) })]);
      expect(failures).toEqual([]);
      expect(runbooks[0]!.remediation).toEqual([
        {
          title: 'Restart {{namespace}}',
          details: 'Safe to repeat.',
          command: 'kubectl -n {{namespace}} rollout restart deploy/x',
        },
      ]);
      expect(runbooks[0]!.body).toContain('## Fix\n\nUndo it.');
      expect(runbooks[0]!.body).not.toContain('rollout restart');
    });

    it('refuses a step the schema rejects at its line in the file', async () => {
      const { failures } = await loadRunbooks([folder({ 'short.md': inBody('### Go\n') })]);
      // The front matter ends on line 15; "# Body" is 16, "## Fix" 20 and "### Go" 24.
      expect(failures[0]!.issues[0]).toMatchObject({ path: '## Fix step 1 title', line: 24 });
    });

    it('refuses a runbook with the remediation in both places, and one with none', async () => {
      const both = inBody(STEPS).replace('---\n# Body', 'remediation:\n  - title: Do the thing\n---\n# Body');
      const none = GOOD.replace('remediation:\n  - title: Do the thing\n', '');
      const { failures } = await loadRunbooks([folder({ 'both.md': both, 'none.md': none })]);
      const byFile = (name: string) => failures.find((failure) => failure.file.endsWith(name))!.issues[0]!;
      expect(byFile('both.md')).toMatchObject({ message: expect.stringContaining('both'), line: 15 });
      expect(byFile('none.md')).toMatchObject({
        message: 'the runbook has no remediation',
        fix: expect.stringContaining('## Fix'),
      });
    });
  });
});
