import { describe, expect, it } from 'vitest';
import { answerFromText, finalAnswerDefinition, readableQuery, validateAnswer } from '../../src/agent/final-answer.js';

const context = {
  sources: new Map([
    [
      'E1',
      {
        tool: 'gpu_sharing',
        params: {},
        requests: ['/api/v1/query?query=max+by+%28gpu%29+%28DCGM_FI_PROF_GR_ENGINE_ACTIVE%29&time=1'],
      },
    ],
    ['call_1', { tool: 'kubernetes_events', params: {}, requests: ['/api/v1/namespaces/llm/events'] }],
  ]),
  runbooks: new Set(['gpu-noisy-neighbor', 'oom-killed']),
};
const answer = {
  cause: 'gpu-noisy-neighbor',
  title: 'Shared GPU',
  summary: 'embed-batch shares GPU 3 with chat-api.',
  evidence: [{ finding: 'GPU 3 is time-sliced', sources: ['E1', 'call_1'] }],
  remediation: [{ step: 'Move embed-batch', runbook: 'gpu-noisy-neighbor' }],
  confidence: 0.8,
};

describe('validateAnswer', () => {
  it('resolves each finding to its tools and readable queries', () => {
    const checked = validateAnswer(answer, context);
    expect(checked).toEqual({
      ok: true,
      answer: {
        ...answer,
        openQuestions: [],
        evidence: [
          {
            finding: 'GPU 3 is time-sliced',
            sources: ['E1', 'call_1'],
            tools: ['gpu_sharing', 'kubernetes_events'],
            queries: ['max by (gpu) (DCGM_FI_PROF_GR_ENGINE_ACTIVE)', '/api/v1/namespaces/llm/events'],
          },
        ],
      },
    });
  });

  it.each([
    ['a cause outside the vocabulary', { cause: 'gpu-noisy-neighbour' }, /^cause: Invalid option/],
    [
      'an unknown source id',
      { evidence: [{ finding: 'made up', sources: ['call_9'] }] },
      /evidence\.0\.sources: unknown id\(s\) call_9/,
    ],
    [
      'an unknown runbook',
      { remediation: [{ step: 'Do it', runbook: 'gpu-magic' }] },
      /remediation\.0\.runbook: no runbook 'gpu-magic'/,
    ],
    [
      'a known cause whose runbook is not cited',
      { remediation: [{ step: 'Do it', runbook: null }] },
      /remediation: cite the runbook gpu-noisy-neighbor/,
    ],
    ['no evidence', { evidence: [] }, /^evidence: /],
  ])('refuses %s with a sentence the model can act on', (_name, change, issue) => {
    const checked = validateAnswer({ ...answer, ...change }, context);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.issues.join('\n')).toMatch(issue);
  });

  it("accepts 'other' with no runbook", () => {
    expect(validateAnswer({ ...answer, cause: 'other', remediation: [] }, context).ok).toBe(true);
  });

  it('takes its cause vocabulary from the runbooks loaded: a runbook not loaded is not a cause', () => {
    const withoutIt = { ...context, runbooks: new Set(['oom-killed']) };
    const checked = validateAnswer(
      { ...answer, remediation: [{ step: 'Move embed-batch', runbook: null }] },
      withoutIt,
    );
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.issues.join('\n')).toMatch(/^cause: Invalid option/);
  });
});

describe('final answer helpers', () => {
  it('reads an answer given as JSON inside prose, and nothing from prose alone', () => {
    expect(answerFromText(`Answer: ${JSON.stringify(answer)} done`)).toEqual(answer);
    expect(answerFromText('the GPU is shared')).toBeUndefined();
  });

  it('offers a JSON Schema without the $schema key, requiring what the answer needs', () => {
    const definition = finalAnswerDefinition(['gpu-noisy-neighbor', 'oom-killed']);
    expect(definition.function.parameters).not.toHaveProperty('$schema');
    expect((definition.function.parameters.properties as { cause: { enum: string[] } }).cause.enum).toEqual([
      'gpu-noisy-neighbor',
      'oom-killed',
      'other',
    ]);
    expect(definition.function.parameters.required).toEqual([
      'cause',
      'title',
      'summary',
      'evidence',
      'remediation',
      'confidence',
    ]);
  });

  it('shows the PromQL of a Prometheus request and other requests as they are', () => {
    expect(readableQuery('/api/v1/series?match%5B%5D=up&start=1')).toBe('up');
    expect(readableQuery('/apis/apps/v1/namespaces/llm/deployments/chat-api')).toBe(
      '/apis/apps/v1/namespaces/llm/deployments/chat-api',
    );
  });
});
