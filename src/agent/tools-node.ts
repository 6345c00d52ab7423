import { AIMessage, ToolMessage } from '@langchain/core/messages';
import { capOutput } from '../toolsets/cap-output.js';
import type { AgentStateUpdate, AgentStateValue } from './agent-state.js';
import type { LoopContext } from './loop-context.js';

/** Arguments as a stable string (sorted keys, nulls dropped): identical calls compare equal. */
function signature(name: string, args: Record<string, unknown>): string {
  const clean = Object.fromEntries(
    Object.entries(args)
      .filter(([, value]) => value !== null && value !== undefined)
      .sort(([left], [right]) => left.localeCompare(right)),
  );
  return `${name} ${JSON.stringify(clean)}`;
}

/**
 * Runs the tool calls of the last model turn, in parallel, through the toolbox and the runbook
 * tools. A repeat of an earlier identical call is refused while that call's result is still in
 * the conversation (after compaction summarised it away, the call runs again); past the tool-call
 * cap calls are refused and only final_answer stays offered; a failing tool returns its error as
 * the result. Outputs are capped in tokens.
 */
export function toolsNode(context: LoopContext) {
  const seen = new Map<string, string>();
  return async (state: AgentStateValue): Promise<AgentStateUpdate> => {
    const last = state.messages.at(-1);
    const calls = last && AIMessage.isInstance(last) ? (last.tool_calls ?? []) : [];
    let closed = state.toolsClosed;
    // Results still in the conversation, and the calls of this turn (two identical ones in one turn run once).
    const present = new Set([
      ...state.messages.filter((message) => ToolMessage.isInstance(message)).map((message) => message.tool_call_id),
      ...calls.map((call) => call.id),
    ]);
    const planned = calls.map((call) => {
      const key = signature(call.name, call.args);
      const earlier = seen.get(key);
      if (earlier && present.has(earlier))
        return {
          call,
          refusal: `Refused: identical to call ${earlier} (same tool, same arguments); its result is above. Change the arguments or answer.`,
          reason: 'repeat',
        };
      const admitted = context.guard.admitToolCall(call.name);
      if (!admitted.ok) {
        closed = true;
        context.step('budget', { decision: admitted.decision });
        return {
          call,
          refusal: `Refused: ${admitted.decision.reason}. Call final_answer now with what you have.`,
          reason: 'cap',
        };
      }
      seen.set(key, call.id!);
      return { call, refusal: undefined, reason: undefined };
    });
    const running = planned.filter((plan) => !plan.refusal).map((plan) => plan.call.name);
    if (running.length > 0) context.progress('tools-start', { tools: running });
    const replies = await Promise.all(
      planned.map(async ({ call, refusal, reason }) => {
        if (refusal) {
          context.step('tool-refused', { id: call.id, name: call.name, args: call.args, reason, message: refusal });
          return new ToolMessage({ tool_call_id: call.id!, status: 'error', content: refusal });
        }
        const params = Object.fromEntries(
          Object.entries(call.args).filter(([, value]) => value !== null && value !== undefined),
        );
        const result = await context.runTool(call.name, params);
        const capped = capOutput(result.text, context.maxToolOutputTokens, context.countTokens, {
          keep: result.tool === 'pod_logs' ? 'tail' : 'head',
        });
        const tokens = context.countTokens(capped.text);
        await context.guard.recordToolCall(call.name, tokens, result.status);
        context.sources.set(call.id!, { tool: result.tool, params: result.params, requests: result.requests });
        context.step(
          'tool-call',
          {
            id: call.id,
            name: call.name,
            args: call.args,
            toolset: result.toolset,
            status: result.status,
            output: capped.text,
            outputTokens: tokens,
            requests: result.requests,
            ...(result.omitted ? { omitted: result.omitted } : {}),
            ...(capped.omitted ? { capped: capped.omitted } : {}),
          },
          result.durationMs,
        );
        const prefix = result.status === 'success' ? '' : `[${result.status}] `;
        return new ToolMessage({
          tool_call_id: call.id!,
          status: result.status === 'error' ? 'error' : 'success',
          content: `${prefix}${capped.text}`,
        });
      }),
    );
    return {
      messages: [...state.messages, ...replies],
      toolsRead: calls.map((call) => call.name),
      toolsClosed: closed,
    };
  };
}
