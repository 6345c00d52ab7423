import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessage, BaseMessage } from '@langchain/core/messages';
import { HolmesError } from '../core/errors.js';
import type { BudgetDecision, Reservation } from './budget-guard.js';
import { classifyModelError, RETRYABLE, type ModelErrorKind } from './classify-model-error.js';
import { createChatModel, type ChatModelFactory } from './create-chat-model.js';
import type { ModelEntry } from './model-registry.js';
import { readUsage, type TokenUsage } from './read-usage.js';

export interface Attempt {
  model: string;
  provider: string;
  /** Which key of the entry (0-based), or null for an entry without keys. */
  keyIndex: number | null;
  outcome: 'ok' | ModelErrorKind;
  status?: number | undefined;
  message?: string | undefined;
  durationMs: number;
}

/** How the caller reserves and meters each attempt (the budget guard, in the loop). */
export interface AttemptHooks {
  reserve(entry: ModelEntry): { ok: true; reservation: Reservation } | { ok: false; decision: BudgetDecision };
  settle(
    reservation: Reservation,
    outcome: { usage: TokenUsage | undefined; result: string; message?: AIMessage },
  ): void;
}

export interface ModelRequest {
  messages: BaseMessage[];
  /** OpenAI-format function definitions; both providers accept them. */
  tools: unknown[];
}

export type FailoverResult =
  | { status: 'ok'; message: AIMessage; entry: ModelEntry; attempts: Attempt[] }
  | { status: 'refused'; decision: BudgetDecision; attempts: Attempt[] }
  | { status: 'failed'; error: HolmesError; attempts: Attempt[] };

export interface FailoverOptions {
  entries: ModelEntry[];
  createModel?: ChatModelFactory;
  /** Rounds down the list while failures are retryable. */
  rounds?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls the first model that answers, down the ordered list: 429 rotates to the entry's next key,
 * then the next model; 401/403 drops the key and tries the next; 5xx, timeouts, connection and
 * context-length errors go to the next model. When a round ends on retryable failures it waits
 * (exponential backoff, or the provider's Retry-After) and goes round again.
 */
export function createFailoverCaller(options: FailoverOptions) {
  const factory = options.createModel ?? createChatModel;
  const models = new Map<string, Promise<BaseChatModel>>();
  const cursor = new Map<number, number>();
  const revoked = new Map<number, Set<number>>();
  const sleep = options.sleep ?? defaultSleep;
  const rounds = options.rounds ?? 2;

  const modelFor = (entry: ModelEntry, keyIndex: number | null) => {
    const id = `${entry.index}:${keyIndex ?? '-'}`;
    if (!models.has(id))
      models.set(id, Promise.resolve(factory(entry, keyIndex === null ? undefined : entry.keys[keyIndex])));
    return models.get(id)!;
  };

  /** Keys to try for an entry, starting at its cursor, revoked ones left out. */
  const keyOrder = (entry: ModelEntry): Array<number | null> => {
    if (entry.keys.length === 0) return [null];
    const start = cursor.get(entry.index) ?? 0;
    const bad = revoked.get(entry.index) ?? new Set<number>();
    return entry.keys.map((_, offset) => (start + offset) % entry.keys.length).filter((index) => !bad.has(index));
  };

  async function invoke(entry: ModelEntry, keyIndex: number | null, request: ModelRequest): Promise<AIMessage> {
    const model = await modelFor(entry, keyIndex);
    const runnable = request.tools.length > 0 && model.bindTools ? model.bindTools(request.tools as never) : model;
    // Our own deadline as well: an SDK timeout does not cover a server that trickles bytes.
    return (await runnable.invoke(request.messages, {
      signal: AbortSignal.timeout(entry.timeoutMs + 1_000),
    })) as AIMessage;
  }

  async function call(request: ModelRequest, hooks: AttemptHooks): Promise<FailoverResult> {
    const attempts: Attempt[] = [];
    for (let round = 0; round < rounds; round += 1) {
      let retryable = false;
      let waitMs = 0;
      for (const entry of options.entries) {
        for (const keyIndex of keyOrder(entry)) {
          const reserved = hooks.reserve(entry);
          if (!reserved.ok) return { status: 'refused', decision: reserved.decision, attempts };
          const started = performance.now();
          const base = { model: entry.name, provider: entry.provider, keyIndex };
          try {
            const message = await invoke(entry, keyIndex, request);
            const reported = readUsage(message);
            hooks.settle(reserved.reservation, {
              usage: reported ? { ...reported, estimated: false } : undefined,
              result: 'ok',
              message,
            });
            attempts.push({ ...base, outcome: 'ok', durationMs: performance.now() - started });
            return { status: 'ok', message, entry, attempts };
          } catch (error) {
            const failure = classifyModelError(error);
            hooks.settle(reserved.reservation, { usage: undefined, result: failure.kind });
            attempts.push({
              ...base,
              outcome: failure.kind,
              status: failure.status,
              message: failure.message,
              durationMs: performance.now() - started,
            });
            if (RETRYABLE.has(failure.kind)) {
              retryable = true;
              waitMs = Math.max(waitMs, failure.retryAfterMs ?? 0);
            }
            if (keyIndex !== null && failure.kind === 'rate-limit') {
              cursor.set(entry.index, (keyIndex + 1) % entry.keys.length);
              continue;
            }
            if (keyIndex !== null && failure.kind === 'auth') {
              revoked.set(entry.index, (revoked.get(entry.index) ?? new Set()).add(keyIndex));
              continue;
            }
            break;
          }
        }
      }
      if (!retryable || round + 1 >= rounds) break;
      const backoff = Math.min(options.maxBackoffMs ?? 20_000, (options.backoffMs ?? 1_000) * 2 ** round);
      await sleep(Math.min(options.maxBackoffMs ?? 20_000, Math.max(backoff, waitMs)));
    }
    const summary = describeAttempts(attempts, options.entries);
    const error = new HolmesError(
      'UPSTREAM_UNAVAILABLE',
      `No model answered: ${summary || 'no model is usable (every key was refused)'}.`,
      {
        fix: 'Check the models list (base URLs, keys, model names) or add another model to fail over to; `holmes config show` prints it.',
        isRetryable: attempts.some((attempt) => RETRYABLE.has(attempt.outcome as ModelErrorKind)),
      },
    );
    return { status: 'failed', error, attempts };
  }

  return { call };
}

/** `model [key N]: outcome (message)` per distinct failure, counted when repeated over rounds. */
function describeAttempts(attempts: Attempt[], entries: ModelEntry[]): string {
  const counts = new Map<string, number>();
  for (const attempt of attempts) {
    const keys = entries.find((entry) => entry.name === attempt.model)?.keys.length ?? 0;
    const text = `${attempt.model}${keys > 1 && attempt.keyIndex !== null ? ` key ${attempt.keyIndex + 1}` : ''}: ${attempt.outcome}${attempt.message ? ` (${attempt.message.slice(0, 160)})` : ''}`;
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return [...counts].map(([text, count]) => (count > 1 ? `${text} ×${count}` : text)).join('; ');
}

export type FailoverCaller = ReturnType<typeof createFailoverCaller>;
