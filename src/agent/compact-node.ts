import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { AgentStateUpdate, AgentStateValue } from './agent-state.js';
import { countMessageTokens, messageText } from './count-message-tokens.js';
import { fitRequest } from './fit-request.js';
import { guardHooks } from './guard-hooks.js';
import type { LoopContext } from './loop-context.js';

const SUMMARY_INSTRUCTIONS =
  'Summarise these turns of an incident investigation for your own later use: each finding with its numbers and the ids (tool call ids, E1 …) it came from, what was ruled out, what is still open. If the turns start with an earlier summary, fold it in: yours replaces it. At most 300 words. Plain text.';
/** The summary's own message, after the starting evidence; a later compaction replaces it. */
export const SUMMARY_ID = 'holmes-summary';
const SUMMARY_HEADING = 'Summary of earlier turns (their ids can still be cited):';
/** max_tokens of a summary call: 300 words and some slack. */
const SUMMARY_MAX_TOKENS = 700;
/** Turns worth fewer tokens than this are not worth a summary call. */
const MIN_SAVING_TOKENS = 2 * SUMMARY_MAX_TOKENS;
/** A tool result is cut to this many characters in the transcript a summary is written from. */
const TRANSCRIPT_RESULT_CHARS = 2_400;

const clip = (text: string) =>
  text.length > TRANSCRIPT_RESULT_CHARS ? `${text.slice(0, TRANSCRIPT_RESULT_CHARS)} … (cut)` : text;

function transcript(messages: BaseMessage[]): string {
  return messages
    .map((message) => {
      if (AIMessage.isInstance(message)) {
        const calls = (message.tool_calls ?? [])
          .map((call) => `${call.name}(${JSON.stringify(call.args)}) [${call.id}]`)
          .join(', ');
        return `assistant: ${messageText(message)}${calls ? `\ncalls: ${calls}` : ''}`;
      }
      if (ToolMessage.isInstance(message)) return `result [${message.tool_call_id}]: ${clip(messageText(message))}`;
      if (message.id === SUMMARY_ID)
        return `earlier summary: ${messageText(message).replace(SUMMARY_HEADING, '').trim()}`;
      return `user: ${messageText(message)}`;
    })
    .join('\n\n');
}

/**
 * Keeps the conversation inside the smallest window of the model list: past the threshold (or
 * when no model could take the last request), the turns between the starting evidence and the
 * latest turn are replaced by one summary the model writes. The system prompt and the evidence
 * are left as they are (their cached prefix stays valid), and a later compaction folds the
 * previous summary into the new one instead of stacking another. That call is guarded and metered.
 */
export function compactNode(context: LoopContext) {
  return async (state: AgentStateValue): Promise<AgentStateUpdate> => {
    const tools = context.definitionsFor(state.offered);
    const before = countMessageTokens(state.messages, tools, context.countTokens);
    const forced = state.compactNeeded;
    if (!forced && before <= context.compactAtTokens) return {};
    // Keep the system prompt, the starting evidence and the latest turn (an AI message with its results).
    const lastAi = state.messages.findLastIndex((message) => AIMessage.isInstance(message));
    const tailStart = lastAi > 2 ? lastAi : state.messages.length;
    const middle = state.messages.slice(2, tailStart);
    const onlySummary = middle.length === 1 && middle[0]!.id === SUMMARY_ID;
    const saving = countMessageTokens(middle, [], context.countTokens);
    if (middle.length === 0 || onlySummary || saving < MIN_SAVING_TOKENS) {
      if (!forced) return {};
      const reason = `the conversation does not fit any model's window and nothing older is left to summarise (${before} tokens counted locally; the starting evidence and the tools alone are too large)`;
      context.step('compaction', { skipped: reason, tokens: before });
      return {
        compactNeeded: false,
        status: 'failed',
        stopReason: `${reason}. Use a model with a larger window, or set models[].contextWindow if the model's is larger.`,
      };
    }
    const request = [new SystemMessage(SUMMARY_INSTRUCTIONS), new HumanMessage(transcript(middle))];
    const started = performance.now();
    const outcome = await context.caller.call(
      {
        prepare: (entry) =>
          fitRequest(entry, {
            messages: request,
            tools: [],
            droppable: [],
            countTokens: context.countTokens,
            minOutputTokens: Math.min(context.minOutputTokens, SUMMARY_MAX_TOKENS),
            maxOutputTokens: SUMMARY_MAX_TOKENS,
          }),
      },
      guardHooks(context, { purpose: 'summary', newStep: false }),
    );
    const durationMs = performance.now() - started;
    if (outcome.status === 'refused') {
      context.step('budget', { decision: outcome.decision, attempts: outcome.attempts }, durationMs);
      return {
        compactNeeded: false,
        status: 'budget-exceeded',
        stopReason: `budget: ${outcome.decision.reason}`,
      };
    }
    if (outcome.status === 'failed') {
      // Go on uncompacted: a model with a larger window may still take it.
      context.step(
        'compaction',
        { skipped: outcome.error.message, tokens: before, attempts: outcome.attempts },
        durationMs,
      );
      return { compactNeeded: false };
    }
    const summary = messageText(outcome.message);
    const [system, evidence] = state.messages;
    const messages = [
      system!,
      evidence!,
      new HumanMessage({ id: SUMMARY_ID, content: `${SUMMARY_HEADING}\n${summary}` }),
      ...state.messages.slice(tailStart),
    ];
    const after = countMessageTokens(messages, tools, context.countTokens);
    context.step(
      'compaction',
      {
        model: outcome.entry.name,
        summarised: middle.length,
        replacedSummary: middle.some((message) => message.id === SUMMARY_ID),
        tokensBefore: before,
        tokensAfter: after,
        summary,
        attempts: outcome.attempts,
      },
      durationMs,
    );
    return { messages, compactNeeded: false };
  };
}
