import { describe, expect, it } from 'vitest';
import { parseFixSection } from '../../src/runbooks/parse-fix-section.js';

const BODY = `# A cause

**Goal.** Say what went wrong.

## Fix

Roll back first, then find why.

### Roll back {{workload}}

Restores the last revision; the
bad one stays in the history.

\`\`\`sh
kubectl -n {{namespace}} rollout undo {{workload_kind}}/{{workload}}
{{#pods}}kubectl -n {{namespace}} logs {{name}}
{{/pods}}
\`\`\`

### Tell the owners

- the team of {{namespace}}
- the release channel

## Background

Kept for people.
`;

describe('parseFixSection', () => {
  it('reads each ### step: its title, prose as details (soft breaks joined) and the fenced command verbatim', () => {
    const section = parseFixSection(BODY)!;
    expect(section.problems).toEqual([]);
    expect(section.steps).toEqual([
      {
        title: 'Roll back {{workload}}',
        details: 'Restores the last revision; the bad one stays in the history.',
        command:
          'kubectl -n {{namespace}} rollout undo {{workload_kind}}/{{workload}}\n{{#pods}}kubectl -n {{namespace}} logs {{name}}\n{{/pods}}',
      },
      { title: 'Tell the owners', details: '- the team of {{namespace}}\n- the release channel' },
    ]);
    expect(section.lines).toEqual([
      { title: 9, details: 11, command: 14 },
      { title: 20, details: 22 },
    ]);
  });

  it('keeps the prose around the steps (summary, later sections) and drops the steps, which are listed rendered', () => {
    const { prose } = parseFixSection(BODY)!;
    expect(prose).toContain('**Goal.** Say what went wrong.');
    expect(prose).toContain('## Fix\n\nRoll back first, then find why.');
    expect(prose).toContain('## Background\n\nKept for people.');
    expect(prose).not.toContain('###');
    expect(prose).not.toContain('rollout undo');
  });

  it('counts lines the same in a file saved with CRLF line ends', () => {
    const section = parseFixSection(BODY.replace(/\n/g, '\r\n'))!;
    expect(section.lines).toEqual(parseFixSection(BODY)!.lines);
    expect(section.steps[0]!.command).not.toContain('\r');
  });

  it('is undefined for a body without a ## Fix section', () => {
    expect(parseFixSection('# Title\n\n**Fix.** Roll back.\n\n### Not under a fix')).toBeUndefined();
  });

  it('names the line of a step with two command blocks, and of a ## Fix without steps', () => {
    const twice = parseFixSection('## Fix\n\n### Step\n\n```\na\n```\n\n```\nb\n```\n')!;
    expect(twice.problems).toEqual([
      expect.objectContaining({ line: 9, message: expect.stringContaining('second command') }),
    ]);
    const empty = parseFixSection('Intro.\n\n## Fix\n\nJust prose.\n')!;
    expect(empty.problems).toEqual([expect.objectContaining({ line: 3, message: '## Fix has no steps' })]);
  });
});
