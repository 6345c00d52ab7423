import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessage } from '@langchain/core/messages';
import { HolmesError } from '../core/errors.js';
import type { BudgetDecision, MeteredUsage, Reservation } from './budget-guard.js';
import {
  classifyModelError,
  RETRYABLE,
  type ClassifiedModelError,
  type ModelErrorKind,
} from './classify-model-error.js';
import { createChatModel, type ChatModelFactory } from './create-chat-model.js';
import type { PreparedRequest } from './fit-request.js';
import { markCacheBreakpoints } from './mark-cache-breakpoints.js';
import { calibrate, type ModelEntry } from './model-registry.js';
import { readUsage, type TokenUsage } from './read-usage.js';
import { streamReply, type ReplyDelta } from './stream-reply.js';

export type AttemptOutcome = 'ok' | ModelErrorKind | 'unfit' | 'over-budget';

export interface Attempt {
  model: string;
  provider: string;
  /** Which key of the entry (0-based), or null for an entry without keys or a call never sent. */
  keyIndex: number | null;
  outcome: AttemptOutcome;
  status?: number | undefined;
  message?: string | undefined;
  durationMs: number;
}

/** What the caller hears as it happens: a call goes out, or a model is passed over for the next. */
export type AttemptEvent =
  | { kind: 'call'; model: string; keyIndex: number | null; inputTokens: number; maxTokens: number; dropped: string[] }
  | { kind: 'failover'; model: string; outcome: AttemptOutcome; message: string; next: string | null };

/** How the caller reserves and meters each attempt (the budget guard, in the loop). */
export interface AttemptHooks {
  /** `fallback`: another model is left to try if this one's worst case does not fit. */
  reserve(
    entry: ModelEntry,
    prepared: PreparedRequest,
    fallback: boolean,
  ): Promise<{ ok: true; reservation: Reservation } | { ok: false; decision: BudgetDecision; anyModel: boolean }>;
  settle(
    reservation: Reservation,
    outcome: {
      usage: TokenUsage | undefined;
      result: string;
      message?: AIMessage;
      billable?: boolean;
      prepared: PreparedRequest;
    },
  ): Promise<MeteredUsage>;
  onEvent?: (event: AttemptEvent) => void;
}

export interface ModelRequest {
  /** The request fitted to this model's window, or why it cannot be. Called again after a context-length error. */
  prepare(entry: ModelEntry): PreparedRequest | { unfit: string };
  /** Streams the reply and hands on its text as it is written (`holmes ask` on a terminal). */
  onDelta?: ((delta: ReplyDelta) => void) | undefined;
  /** The tool whose partial arguments are streamed as the answer. */
  answerTool?: string;
}

export type FailoverResult =
  | { status: 'ok'; message: AIMessage; entry: ModelEntry; prepared: PreparedRequest; attempts: Attempt[] }
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
/** Chat models kept per entry, key and max_tokens; an 8k model's max_tokens changes every turn. */
const MODEL_CACHE_SIZE = 64;

/**
 * What a context-length error teaches about a model: the window it names (when smaller than
 * assumed) and how its tokenizer counts against ours. When it teaches neither, count 15% more.
 */
function learnFromOverflow(entry: ModelEntry, prepared: PreparedRequest, failure: ClassifiedModelError): void {
  const figures = failure.context ?? {};
  const before = { window: entry.contextWindow, factor: entry.inputEstimateFactor };
  if (figures.window && figures.window < entry.contextWindow) {
    entry.contextWindow = figures.window;
    entry.windowSource = `the provider's context-length error (${figures.window} tokens)`;
  }
  if (figures.promptTokens) calibrate(entry, prepared.inputTokens, figures.promptTokens);
  if (entry.contextWindow === before.window && entry.inputEstimateFactor === before.factor)
    entry.inputEstimateFactor = Math.min(3, Math.round(entry.inputEstimateFactor * 1.15 * 1000) / 1000);
}

/**
 * Calls the first model that answers, down the ordered list. Each model gets the request fitted
 * to its window; one whose worst case does not fit the budget is passed over for the next that
 * fits. 429 rotates to the entry's next key, then the next model; 401/403 drops the key; a
 * context-length error shrinks the request and retries once, then moves on; 5xx, timeouts and
 * connection errors go to the next model. When a round ends on retryable failures it waits
 * (exponential backoff, or the provider's Retry-After) and goes round again.
 */
export function createFailoverCaller(options: FailoverOptions) {
  const factory = options.createModel ?? createChatModel;
  const models = new Map<string, Promise<BaseChatModel>>();
  const cursor = new Map<number, number>();
  const revoked = new Map<number, Set<number>>();
  const sleep = options.sleep ?? defaultSleep;
  const rounds = options.rounds ?? 2;

  const modelFor = (entry: ModelEntry, keyIndex: number | null, maxTokens: number) => {
    const id = `${entry.index}:${keyIndex ?? '-'}:${maxTokens}`;
    if (!models.has(id)) {
      if (models.size >= MODEL_CACHE_SIZE) models.clear();
      const sized = { ...entry, maxOutputTokens: maxTokens };
      models.set(id, Promise.resolve(factory(sized, keyIndex === null ? undefined : entry.keys[keyIndex])));
    }
    return models.get(id)!;
  };

  /** Keys to try for an entry, starting at its cursor, revoked ones left out. */
  const keyOrder = (entry: ModelEntry): Array<number | null> => {
    if (entry.keys.length === 0) return [null];
    const start = cursor.get(entry.index) ?? 0;
    const bad = revoked.get(entry.index) ?? new Set<number>();
    return entry.keys.map((_, offset) => (start + offset) % entry.keys.length).filter((index) => !bad.has(index));
  };

  async function invoke(
    entry: ModelEntry,
    keyIndex: number | null,
    prepared: PreparedRequest,
    request: ModelRequest,
  ): Promise<AIMessage> {
    const model = await modelFor(entry, keyIndex, prepared.maxTokens);
    const { messages, tools } =
      entry.provider === 'anthropic' ? markCacheBreakpoints(prepared.messages, prepared.tools) : prepared;
    const runnable = tools.length > 0 && model.bindTools ? model.bindTools(tools as never) : model;
    // Our own deadline as well: an SDK timeout does not cover a server that trickles bytes.
    const signal = AbortSignal.timeout(entry.timeoutMs + 1_000);
    if (request.onDelta)
      return streamReply(runnable as never, messages, {
        signal,
        answerTool: request.answerTool ?? 'final_answer',
        onDelta: request.onDelta,
      });
    return (await runnable.invoke(messages, { signal })) as AIMessage;
  }

  async function call(request: ModelRequest, hooks: AttemptHooks): Promise<FailoverResult> {
    const attempts: Attempt[] = [];
    const entries = options.entries;
    let refusal: BudgetDecision | undefined;
    const passOver = (entry: ModelEntry, position: number, outcome: AttemptOutcome, message: string) =>
      hooks.onEvent?.({
        kind: 'failover',
        model: entry.name,
        outcome,
        message,
        next: entries[position + 1]?.name ?? null,
      });
    for (let round = 0; round < rounds; round += 1) {
      let retryable = false;
      let waitMs = 0;
      for (const [position, entry] of entries.entries()) {
        const base = { model: entry.name, provider: entry.provider };
        let prepared = request.prepare(entry);
        if ('unfit' in prepared) {
          attempts.push({ ...base, keyIndex: null, outcome: 'unfit', message: prepared.unfit, durationMs: 0 });
          passOver(entry, position, 'unfit', prepared.unfit);
          continue;
        }
        const keys = keyOrder(entry);
        let overflowRetry = true;
        for (let keyPosition = 0; keyPosition < keys.length;) {
          const keyIndex = keys[keyPosition]!;
          const reserved = await hooks.reserve(entry, prepared, position < entries.length - 1);
          if (!reserved.ok) {
            if (reserved.anyModel) return { status: 'refused', decision: reserved.decision, attempts };
            refusal = reserved.decision;
            const reason = reserved.decision.reason ?? 'over budget';
            attempts.push({ ...base, keyIndex: null, outcome: 'over-budget', message: reason, durationMs: 0 });
            passOver(entry, position, 'over-budget', reason);
            break;
          }
          hooks.onEvent?.({
            kind: 'call',
            model: entry.name,
            keyIndex,
            inputTokens: prepared.inputTokens,
            maxTokens: prepared.maxTokens,
            dropped: prepared.dropped,
          });
          const started = performance.now();
          try {
            const message = await invoke(entry, keyIndex, prepared, request);
            const reported = readUsage(message);
            const metered = await hooks.settle(reserved.reservation, {
              usage: reported ? { ...reported, estimated: false } : undefined,
              result: 'ok',
              message,
              prepared,
            });
            if (reported && !metered.flag) calibrate(entry, prepared.inputTokens, reported.inputTokens);
            attempts.push({ ...base, keyIndex, outcome: 'ok', durationMs: performance.now() - started });
            return { status: 'ok', message, entry, prepared, attempts };
          } catch (error) {
            const failure = classifyModelError(error);
            await hooks.settle(reserved.reservation, {
              usage: undefined,
              result: failure.kind,
              billable: failure.billable,
              prepared,
            });
            attempts.push({
              ...base,
              keyIndex,
              outcome: failure.kind,
              status: failure.status,
              message: failure.message,
              durationMs: performance.now() - started,
            });
            if (RETRYABLE.has(failure.kind)) {
              retryable = true;
              waitMs = Math.max(waitMs, failure.retryAfterMs ?? 0);
            }
            if (failure.kind === 'context-length' && overflowRetry) {
              // Once per model: learn from the error, fit again, and send the smaller request.
              overflowRetry = false;
              learnFromOverflow(entry, prepared, failure);
              const again = request.prepare(entry);
              if (!('unfit' in again)) {
                prepared = again;
                continue;
              }
              attempts.push({ ...base, keyIndex: null, outcome: 'unfit', message: again.unfit, durationMs: 0 });
            }
            if (keyIndex !== null && failure.kind === 'rate-limit') {
              cursor.set(entry.index, (keyIndex + 1) % entry.keys.length);
              keyPosition += 1;
              continue;
            }
            if (keyIndex !== null && failure.kind === 'auth') {
              revoked.set(entry.index, (revoked.get(entry.index) ?? new Set()).add(keyIndex));
              keyPosition += 1;
              continue;
            }
            passOver(entry, position, failure.kind, failure.message);
            break;
          }
        }
      }
      if (!retryable || round + 1 >= rounds) break;
      const backoff = Math.min(options.maxBackoffMs ?? 20_000, (options.backoffMs ?? 1_000) * 2 ** round);
      await sleep(Math.min(options.maxBackoffMs ?? 20_000, Math.max(backoff, waitMs)));
    }
    if (refusal && attempts.every((attempt) => attempt.outcome === 'over-budget' || attempt.outcome === 'unfit'))
      return { status: 'refused', decision: refusal, attempts };
    const summary = describeAttempts(attempts, entries);
    const error = new HolmesError(
      'UPSTREAM_UNAVAILABLE',
      `No model answered: ${summary || 'no model is usable (every key was refused)'}.`,
      {
        fix: 'Check the models list (base URLs, keys, model names, context windows) or add another model to fail over to; `holmes config show` prints it.',
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
