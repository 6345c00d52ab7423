import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress } from '../../src/cli/agent-progress.js';
import { configSchema } from '../../src/config/config-schema.js';
import { captureContext } from './commands/capture-context.js';

/** A captured context whose stderr says it is a terminal. */
function terminal() {
  const context = captureContext(configSchema.parse({}));
  Object.assign(context.err, { isTTY: true });
  return context;
}

afterEach(() => vi.useRealTimers());

describe('createProgress', () => {
  it('says nothing when stderr is not a terminal, or with --json', () => {
    expect(createProgress(captureContext(configSchema.parse({})))).toBeUndefined();
    const json = captureContext(configSchema.parse({}), { json: true });
    Object.assign(json.err, { isTTY: true });
    expect(createProgress(json)).toBeUndefined();
  });

  it('shows the deterministic phase, each model call, each failover, and what it waits on after 2 s of silence', async () => {
    vi.useFakeTimers();
    const context = terminal();
    const progress = createProgress(context, { tickMs: 100 })!;
    progress.onEvent({ kind: 'deterministic-start', data: {}, transient: true });
    progress.onEvent({
      kind: 'deterministic',
      data: { rootCause: { id: 'gpu-noisy-neighbor' }, queries: 12 },
      durationMs: 800,
    });
    progress.onEvent({
      kind: 'model-start',
      data: { model: 'openai/gpt-4o-mini', purpose: 'turn', inputTokens: 4_200, maxTokens: 4_096, dropped: [] },
      transient: true,
    });
    await vi.advanceTimersByTimeAsync(1_900);
    expect(context.stderr()).not.toContain('…');
    await vi.advanceTimersByTimeAsync(300);
    progress.onEvent({
      kind: 'failover',
      data: {
        model: 'openai/gpt-4o-mini',
        outcome: 'timeout',
        message: 'Request timed out.',
        next: 'anthropic/claude-haiku-4-5',
      },
      transient: true,
    });
    progress.onEvent({
      kind: 'model-call',
      data: {
        model: 'anthropic/claude-haiku-4-5',
        purpose: 'turn',
        usage: {
          inputTokens: 4_900,
          cachedTokens: 3_000,
          cacheWriteTokens: 0,
          outputTokens: 80,
          usd: 0.0012,
          estimated: false,
        },
      },
      durationMs: 1_500,
    });
    progress.close();
    const lines = context.stderr().split('\n');
    expect(lines).toEqual([
      '  · deterministic investigation: runbook checks, no model',
      '  · deterministic: root cause gpu-noisy-neighbor, 12 queries (800 ms)',
      '  · openai/gpt-4o-mini turn: ~4200 tokens in, up to 4096 out',
      '  … waiting for openai/gpt-4o-mini (2 s)',
      '  ↷ openai/gpt-4o-mini: timeout (Request timed out.); trying anthropic/claude-haiku-4-5',
      '  ✓ anthropic/claude-haiku-4-5 turn (1500 ms) 4900 in, 3000 cached / 80 out, $0.0012',
      '',
    ]);
  });

  it('writes the answer as it arrives, on one line, and marks estimated usage', () => {
    const context = terminal();
    const progress = createProgress(context)!;
    for (const text of ['embed-batch ', 'time-slices ', 'GPU 3.'])
      progress.onEvent({ kind: 'answer-delta', data: { text }, transient: true });
    progress.onEvent({
      kind: 'model-call',
      data: {
        model: 'openai/local',
        purpose: 'answer',
        usage: { inputTokens: 900, cachedTokens: 0, cacheWriteTokens: 0, outputTokens: 120, usd: 0, estimated: true },
      },
    });
    progress.close();
    expect(context.stderr()).toBe(
      '  ✎ embed-batch time-slices GPU 3.\n  ✓ openai/local answer ~900 in / ~120 out, ~$0.00 (estimated)\n',
    );
  });

  it('shows escape sequences from tool arguments and the model as text, never as terminal commands', () => {
    const context = terminal();
    const progress = createProgress(context)!;
    progress.onEvent({
      kind: 'tool-call',
      data: { name: 'pod_logs', args: { pod: 'api\u001b[2J' }, status: 'success' },
    });
    progress.onEvent({
      kind: 'tool-refused',
      data: { name: 'x\u001b]8;;http://evil\u0007', reason: 'cap\nforged line' },
    });
    progress.onEvent({ kind: 'answer-delta', data: { text: 'red \u001b[31mtext\r\nnext' }, transient: true });
    progress.close();
    const text = context.stderr();
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(text).toContain('pod_logs {"pod":"api\\u001b[2J"} success');
    expect(text).toContain('  ✗ x\\e]8;;http://evil\\x07 refused (cap\\nforged line)');
    expect(text).toContain('  ✎ red \\e[31mtext\\r\n    next');
  });

  it('stays quiet while paused, until the next event', async () => {
    vi.useFakeTimers();
    const context = terminal();
    const progress = createProgress(context, { tickMs: 100 })!;
    progress.pause();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(context.stderr()).toBe('');
    progress.close();
  });
});
