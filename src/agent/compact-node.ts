import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { AgentStateUpdate, AgentStateValue } from './agent-state.js';
import { countMessage, countMessageTokens, messageText } from './count-message-tokens.js';
import type { LoopContext } from './loop-context.js';

const SUMMARY_INSTRUCTIONS =
  'Summarise these turns of an incident investigation for your own later use: each finding with its numbers and the ids (tool call ids, E1 …) it came from, what was ruled out, what is still open. At most 300 words. Plain text.';

function transcript(messages: BaseMessage[]): string {
  return messages
    .map((message) => {
      if (AIMessage.isInstance(message)) {
        const calls = (message.tool_calls ?? [])
          .map((call) => `${call.name}(${JSON.stringify(call.args)}) [${call.id}]`)
          .join(', ');
        return `assistant: ${messageText(message)}${calls ? `\ncalls: ${calls}` : ''}`;
      }
      if (ToolMessage.isInstance(message)) return `result [${message.tool_call_id}]: ${messageText(message)}`;
      return `user: ${messageText(message)}`;
    })
    .join('\n\n');
}

/**
 * Keeps the conversation inside the smallest window of the model list: past the threshold, the
 * turns between the starting evidence and the latest turn are replaced by a summary the model
 * writes. That call goes through the guard and is metered like any other.
 */
export function compactNode(context: LoopContext) {
  return async (state: AgentStateValue): Promise<AgentStateUpdate> => {
    const tools = context.definitionsFor(state.toolsets ?? undefined);
    const before = countMessageTokens(state.messages, tools, context.countTokens);
    if (before <= context.compactAtTokens) return {};
    // Keep the system prompt, the starting evidence and the latest turn (an AI message with its results).
    const lastAi = state.messages.findLastIndex((message) => AIMessage.isInstance(message));
    const tailStart = lastAi > 2 ? lastAi : state.messages.length;
    const middle = state.messages.slice(2, tailStart);
    if (middle.length === 0) {
      context.step('compaction', { skipped: 'nothing old enough to summarise', tokens: before });
      return {};
    }
    const request = [new SystemMessage(SUMMARY_INSTRUCTIONS), new HumanMessage(transcript(middle))];
    const inputTokens = countMessageTokens(request, [], context.countTokens);
    const started = performance.now();
    const outcome = await context.caller.call(
      { messages: request, tools: [] },
      {
        reserve: (entry) => context.guard.reserve({ entry, inputTokens, purpose: 'summary', newStep: false }),
        settle: (reservation, settled) => {
          const usage =
            settled.usage ??
            (settled.message
              ? {
                  inputTokens,
                  cachedTokens: 0,
                  outputTokens: countMessage(settled.message, context.countTokens),
                  estimated: true,
                }
              : undefined);
          context.guard.settle(reservation, { usage, result: settled.result });
        },
      },
    );
    const durationMs = performance.now() - started;
    if (outcome.status === 'refused') {
      context.step('budget', { decision: outcome.decision }, durationMs);
      return { status: 'budget-exceeded', stopReason: `budget: ${outcome.decision.reason}` };
    }
    if (outcome.status === 'failed') {
      // Go on uncompacted: a model with a larger window may still take it.
      context.step(
        'compaction',
        { skipped: outcome.error.message, tokens: before, attempts: outcome.attempts },
        durationMs,
      );
      return {};
    }
    const summary = messageText(outcome.message);
    const [system, first] = state.messages;
    const merged = new HumanMessage(
      `${messageText(first!)}\n\nSummary of earlier turns (their ids can still be cited):\n${summary}`,
    );
    const messages = [system!, merged, ...state.messages.slice(tailStart)];
    const after = countMessageTokens(messages, tools, context.countTokens);
    context.step(
      'compaction',
      {
        model: outcome.entry.name,
        summarised: middle.length,
        tokensBefore: before,
        tokensAfter: after,
        summary,
        attempts: outcome.attempts,
      },
      durationMs,
    );
    return { messages };
  };
}
