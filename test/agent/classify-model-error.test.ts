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

  it.each([
    [
      'vLLM 0.10+',
      "400 'max_tokens' or 'max_completion_tokens' is too large: 4096. This model's maximum context length is 8192 tokens and your request has 5904 input tokens (4096 > 8192 - 5904).",
      { window: 8_192, promptTokens: 5_904 },
    ],
    [
      'vLLM before 0.10',
      "400 This model's maximum context length is 8192 tokens. However, you requested 10000 tokens (5904 in the messages, 4096 in the completion). Please reduce the length of the messages or completion.",
      { window: 8_192, promptTokens: 5_904 },
    ],
    [
      'OpenAI',
      "400 This model's maximum context length is 8192 tokens. However, your messages resulted in 9214 tokens. Please reduce the length of the messages.",
      { window: 8_192, promptTokens: 9_214 },
    ],
    ['Anthropic', '400 prompt is too long: 212404 tokens > 200000 maximum', { window: 200_000, promptTokens: 212_404 }],
    [
      'Anthropic with max_tokens',
      '400 input length and `max_tokens` exceed context limit: 180000 + 64000 > 200000, decrease input length or `max_tokens` and try again',
      { window: 200_000, promptTokens: 180_000 },
    ],
    ['llama.cpp', '400 the request exceeds the available context size, try increasing it', {}],
  ])('reads a context-length error (%s) and the figures it gives', (_name, message, context) => {
    expect(classifyModelError(error(message, { status: 400 }))).toMatchObject({
      kind: 'context-length',
      billable: false,
      context,
    });
  });

  it.each([
    ['a timeout', Object.assign(error('Request timed out.'), { name: 'TimeoutError' }), 'timeout', true],
    [
      'a connection cut mid-answer',
      error('terminated', { cause: { code: 'UND_ERR_SOCKET', message: 'other side closed' } }),
      'connection',
      true,
    ],
    ['a reset', error('Connection error.', { cause: { code: 'ECONNRESET' } }), 'connection', true],
    ['a refused connection', error('Connection error.', { cause: { code: 'ECONNREFUSED' } }), 'connection', false],
    ['an error answer', error('503 Service Unavailable', { status: 503 }), 'server', false],
  ])('says whether the provider may have processed (and billed) %s', (_name, thrown, kind, billable) => {
    expect(classifyModelError(thrown)).toMatchObject({ kind, billable });
  });
});
