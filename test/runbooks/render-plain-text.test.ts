import { describe, expect, it } from 'vitest';
import { isBlank, renderSentence } from '../../src/runbooks/render-plain-text.js';

describe('renderSentence', () => {
  const sentence = 'Compute activity of the GPUs of {{workload}} fell{{#why}} ({{why}}, {{workload}}){{/why}}.';

  it('names the workload when the alert resolved one', () => {
    expect(renderSentence(sentence, { workload: 'trainer', namespace: 'ml' })).toBe(
      'Compute activity of the GPUs of trainer fell.',
    );
  });

  it('names the pods of the namespace instead of leaving a hole when no workload was resolved', () => {
    expect(renderSentence(sentence, { namespace: 'tessera-train', why: 'waits' })).toBe(
      'Compute activity of the GPUs of the pods of tessera-train fell (waits, the pods of tessera-train).',
    );
    expect(renderSentence(sentence, {})).toBe("Compute activity of the GPUs of the alert's pods fell.");
  });

  it('names up to three pods one by one, and counts more', () => {
    expect(renderSentence(sentence, { namespace: 'ml', pod_list: 'train-0, train-1' })).toBe(
      'Compute activity of the GPUs of train-0, train-1 fell.',
    );
    expect(renderSentence(sentence, { namespace: 'ml', pod_list: 'a-0, a-1, b-0, c-0' })).toBe(
      'Compute activity of the GPUs of the 4 pods of ml fell.',
    );
    expect(renderSentence(sentence, { node_list: 'gpu-07', pod_list: 'a, b, c, d, e' })).toBe(
      'Compute activity of the GPUs of the 5 pods on gpu-07 fell.',
    );
  });

  it('takes a namespace as a value, never as template text', () => {
    expect(renderSentence('GPUs of {{workload}}.', { namespace: '{{#x}}evil{{/x}}' })).toBe(
      'GPUs of the pods of {{#x}}evil{{/x}}.',
    );
  });
});

describe('isBlank', () => {
  it.each([
    [undefined, true],
    ['', true],
    [[], true],
    [{ items: [] }, true],
    ['x', false],
    [0, false],
    [['a'], false],
  ])('%j is blank: %s', (value, blank) => {
    expect(isBlank(value)).toBe(blank);
  });
});
