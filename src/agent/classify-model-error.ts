/** Why a model call failed, as far as failover cares. */
export type ModelErrorKind =
  'rate-limit' | 'auth' | 'server' | 'timeout' | 'connection' | 'context-length' | 'rejected';

export interface ClassifiedModelError {
  kind: ModelErrorKind;
  status: number | undefined;
  /** From Retry-After / retry-after-ms, when the provider sent one. */
  retryAfterMs: number | undefined;
  message: string;
  /**
   * The provider may have processed (and billed) the call: it timed out, or the connection broke
   * after the request went out. A refused connection or an error answer was not.
   */
  billable: boolean;
  /** What a context-length error says: the model's window and the prompt's size, in its own tokens. */
  context?: { window?: number | undefined; promptTokens?: number | undefined } | undefined;
}

/** Worth another round down the list after a pause. */
export const RETRYABLE: ReadonlySet<ModelErrorKind> = new Set(['rate-limit', 'server', 'timeout', 'connection']);

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function retryAfter(error: Record<string, unknown>): number | undefined {
  const headers = error.headers;
  const milliseconds = Number(header(headers, 'retry-after-ms'));
  if (Number.isFinite(milliseconds) && milliseconds > 0) return milliseconds;
  const seconds = Number(header(headers, 'retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

// OpenAI (context_length_exceeded), vLLM (both its error forms), Anthropic (prompt is too long,
// input length and max_tokens exceed context limit), llama.cpp and Ollama.
const CONTEXT_LENGTH =
  /context_length_exceeded|maximum context length|prompt is too long|exceeds? the context window|exceed context limit|available context size|exceeds the context length|context length exceeded/i;

const first = (text: string, patterns: RegExp[]): number | undefined => {
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match) return Number(match[1]);
  }
  return undefined;
};

/** The figures a context-length message gives, in the provider's tokens. */
export function contextFigures(text: string): { window?: number; promptTokens?: number } {
  const window = first(text, [
    /maximum context length is (\d+)/i,
    /tokens > (\d+) maximum/i,
    /exceed context limit: \d+ \+ \d+ > (\d+)/i,
  ]);
  const promptTokens = first(text, [
    /\((\d+) in the messages/i,
    /your request has (\d+) input tokens/i,
    /your messages resulted in (\d+) tokens/i,
    /prompt is too long: (\d+) tokens/i,
    /exceed context limit: (\d+) \+/i,
  ]);
  return {
    ...(window !== undefined ? { window } : {}),
    ...(promptTokens !== undefined ? { promptTokens } : {}),
  };
}

/** Reads the SDK errors of OpenAI and Anthropic as LangChain passes them on. */
export function classifyModelError(error: unknown): ClassifiedModelError {
  const record = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const status = typeof record.status === 'number' ? record.status : undefined;
  const name = typeof record.name === 'string' ? record.name : '';
  const raw = error instanceof Error ? error.message : String(error);
  // LangChain appends a troubleshooting URL; the first line is the provider's message, which
  // for Anthropic is `STATUS {json}`: keep the JSON's own message.
  const first = raw.split('\n')[0]!;
  const json = /^\d{3} (\{.*\})$/.exec(first)?.[1];
  let message = first;
  try {
    if (json)
      message = `${first.slice(0, 3)} ${(JSON.parse(json) as { error?: { message?: string } }).error?.message ?? json}`;
  } catch {
    // Not JSON after all: keep the line.
  }
  message = message.slice(0, 300);
  const code = (record.cause as { code?: string } | undefined)?.code ?? (record.code as string | undefined);
  const base = { status, retryAfterMs: retryAfter(record), message, billable: false };
  if (name === 'ContextOverflowError' || CONTEXT_LENGTH.test(raw))
    return { ...base, kind: 'context-length', context: contextFigures(raw) };
  if (status === 429 || record.lc_error_code === 'MODEL_RATE_LIMIT') return { ...base, kind: 'rate-limit' };
  if (status === 401 || status === 403 || record.lc_error_code === 'MODEL_AUTHENTICATION')
    return { ...base, kind: 'auth' };
  if (status !== undefined && status >= 500) return { ...base, kind: 'server' };
  if (name === 'TimeoutError' || name === 'AbortError' || /timed? ?out/i.test(raw))
    return { ...base, kind: 'timeout', billable: true };
  const detail = `${raw} ${code ?? ''} ${String((record.cause as { message?: string } | undefined)?.message ?? '')}`;
  if (
    name === 'APIConnectionError' ||
    /connection error|ECONNREFUSED|ECONNRESET|ENOTFOUND|fetch failed|socket hang up|terminated|other side closed/i.test(
      detail,
    )
  )
    // Cut off once the request was out (reset, hang-up, a stream that stopped): it may have run.
    return {
      ...base,
      kind: 'connection',
      billable: /ECONNRESET|socket hang up|terminated|other side closed|UND_ERR_SOCKET|premature close/i.test(detail),
    };
  return { ...base, kind: 'rejected' };
}
