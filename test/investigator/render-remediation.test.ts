import { describe, expect, it } from 'vitest';
import { renderRemediation } from '../../src/investigator/render-remediation.js';
import { ListValue } from '../../src/toolsets/template-values.js';

const runbook = {
  remediation: [
    { title: '{{#unauthorized}}Renew the registry credentials{{/unauthorized}}', details: 'Secret {{secrets}}.' },
    { title: '{{#missingImage}}Point it at an image that exists{{/missingImage}}' },
    { title: 'Let the stuck pod pull again', command: 'kubectl -n {{namespace}} delete pod {{stuckPods}}' },
  ],
};

describe('renderRemediation', () => {
  it('keeps the steps whose section fact holds, drops the others, and quotes every value for the shell', () => {
    const steps = renderRemediation(
      runbook,
      { namespace: 'treasury' },
      {
        unauthorized: true,
        missingImage: false,
        secrets: ['harbor-robot'],
        stuckPods: ['job-x-k7p2m', "evil';rm -rf /"],
      },
    );
    expect(steps.map((step) => step.title)).toEqual(['Renew the registry credentials', 'Let the stuck pod pull again']);
    expect(steps[0]!.details).toBe('Secret harbor-robot.');
    expect(steps[1]!.command).toContain('delete pod job-x-k7p2m ');
    expect(steps[1]!.command).not.toContain("evil';rm");
  });

  it('drops a conditional step when the check behind its fact did not support (the fact is absent)', () => {
    const steps = renderRemediation(
      runbook,
      { namespace: 'shop', pods: new ListValue(['api-1']) },
      { stuckPods: ['api-1'] },
    );
    expect(steps.map((step) => step.title)).toEqual(['Let the stuck pod pull again']);
  });
});
