import { describe, expect, it } from 'vitest';
import { classifyModelError } from '../../src/agent/classify-model-error.js';

const error = (message: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(message), fields);

describe('classifyModelError', () => {
  it.each([
    [
      '429 with Retry-After seconds',
      error('429 Rate limit', { status: 429, headers: new Headers({ 'retry-after': '3' }) }),
      'rate-limit',
      3_000,
    ],
    ['429 with retry-after-ms', error('429', { status: 429, headers: { 'retry-after-ms': '250' } }), 'rate-limit', 250],
    ['401', error('401 invalid x-api-key', { status: 401 }), 'auth', undefined],
    ['403', error('403 forbidden', { status: 403 }), 'auth', undefined],
    ['529 overloaded', error('529 Overloaded', { status: 529 }), 'server', undefined],
    [
      'a LangChain context overflow',
      Object.assign(error('Input exceeded'), { name: 'ContextOverflowError' }),
      'context-length',
      undefined,
    ],
    [
      'an abort by our deadline',
      Object.assign(error('This operation was aborted'), { name: 'AbortError' }),
      'timeout',
      undefined,
    ],
    ['a refused connection', error('Connection error.', { cause: { code: 'ECONNREFUSED' } }), 'connection', undefined],
    ['a bad request', error('400 invalid tool schema', { status: 400 }), 'rejected', undefined],
  ])('classifies %s', (_name, thrown, kind, retryAfterMs) => {
    expect(classifyModelError(thrown)).toMatchObject({ kind, retryAfterMs });
  });

  it("keeps the provider's own message out of Anthropic's STATUS {json} form", () => {
    expect(
      classifyModelError(
        error(
          '429 {"type":"error","error":{"type":"rate_limit_error","message":"Slow down"}}\n\nTroubleshooting URL: x',
          { status: 429 },
        ),
      ).message,
    ).toBe('429 Slow down');
  });
});
