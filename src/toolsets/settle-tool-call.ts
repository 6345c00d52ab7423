import { HolmesError } from '../core/errors.js';
import { redactSecrets } from '../core/redact-secrets.js';
import type { ToolResult } from '../core/tool-result.js';
import { capOutput } from './cap-output.js';
import { loadTokenCounter } from './count-tokens.js';
import type { ToolOutput } from './tool-context.js';

export interface ToolIdentity {
  toolset: string;
  tool: string;
  params: Record<string, unknown>;
}

export interface SettleOptions {
  maxOutputTokens: number;
  timeoutMs: number;
  /** Keep raw upstream bodies on results (benchmarks measure them). */
  keepRaw?: boolean | undefined;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new HolmesError('TIMEOUT', `${what} took longer than ${timeoutMs} ms.`, {
            isRetryable: true,
            fix: 'Narrow the call or raise toolsets.timeoutMs.',
          }),
        ),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A tool call that did not produce output, as a result: the message is what the model reads. */
export function toolFailure(identity: ToolIdentity, started: number, problem: string, unreachable = false): ToolResult {
  const message = redactSecrets(problem);
  return {
    ...identity,
    status: 'error',
    text: message,
    error: message,
    ...(unreachable ? { unreachable } : {}),
    data: null,
    requests: [],
    durationMs: performance.now() - started,
    rawBytes: 0,
  };
}

/**
 * Runs one tool implementation to a result, whoever provides it (a toolset or an MCP server):
 * a timeout, the token cap with a note of what was left out, and errors turned into results.
 * Never throws.
 */
export async function settleToolCall(
  identity: ToolIdentity,
  started: number,
  work: () => Promise<ToolOutput>,
  options: SettleOptions,
): Promise<ToolResult> {
  try {
    const output = await withTimeout(work(), options.timeoutMs, `Tool ${identity.tool}`);
    // The tokenizer table is large: loaded at the first tool call, not when the toolbox is built.
    // What a tool read may hold credentials (a URL with user:password in a pod's env): never passed on.
    const capped = capOutput(
      redactSecrets(output.text),
      options.maxOutputTokens,
      await loadTokenCounter(),
      output.keep ? { keep: output.keep } : {},
    );
    // Both can apply (a tool showed its top k, then the cap cut lines): report both.
    const omitted =
      capped.omitted && output.omitted
        ? {
            what: `${output.omitted.what}; then ${capped.omitted.what}`,
            hint: `${output.omitted.hint} ${capped.omitted.hint}`,
          }
        : (capped.omitted ?? output.omitted);
    return {
      ...identity,
      status: output.status ?? 'success',
      text: capped.text,
      data: output.data,
      requests: output.requests,
      ...(omitted ? { omitted } : {}),
      ...(output.missing ? { missing: output.missing } : {}),
      ...(output.graph ? { graph: output.graph } : {}),
      durationMs: performance.now() - started,
      rawBytes: output.raw.reduce((sum, body) => sum + Buffer.byteLength(body), 0),
      ...(options.keepRaw ? { raw: output.raw } : {}),
    };
  } catch (error) {
    const message = HolmesError.isInstance(error)
      ? `${error.message}${error.fix ? ` ${error.fix}` : ''}`
      : `Tool ${identity.tool} failed: ${(error as Error).message}`;
    const unreachable =
      HolmesError.isInstance(error) && (error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'TIMEOUT');
    return toolFailure(identity, started, message, unreachable);
  }
}
