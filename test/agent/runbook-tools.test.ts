import { describe, expect, it } from 'vitest';
import { createRunbookTools } from '../../src/agent/runbook-tools.js';
import { BUILTIN_RUNBOOKS_DIR, loadRunbooks } from '../../src/runbooks/load-runbooks.js';
import type { Toolbox } from '../../src/toolsets/create-toolbox.js';

const toolbox: Toolbox = {
  statuses: [],
  failures: [],
  tools: () => [],
  run: async () => {
    throw new Error('fetch_runbook reads no tool');
  },
};

describe('fetch_runbook', () => {
  it('gives the model the checks, every ## Fix step with its why and command, and the prose once', async () => {
    const { runbooks } = await loadRunbooks([BUILTIN_RUNBOOKS_DIR]);
    const tools = createRunbookTools({ runbooks, toolbox, alert: undefined });
    const { status, text } = await tools.run('fetch_runbook', { id: 'node-not-ready' });
    expect(status).toBe('success');
    const runbook = runbooks.find((entry) => entry.id === 'node-not-ready')!;
    for (const step of runbook.remediation) {
      expect(text).toContain(step.title);
      if (step.details) expect(text).toContain(step.details);
    }
    expect(text).toContain('kubectl cordon {{node}}');
    expect(text).toContain('**Goal.**');
    expect(text.split('kubectl cordon').length - 1).toBe(1);
  });
});
