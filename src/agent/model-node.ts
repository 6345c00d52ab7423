import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { AgentStateUpdate, AgentStateValue } from './agent-state.js';
import { messageText } from './count-message-tokens.js';
import { answerFromText, FINAL_ANSWER_TOOL, validateAnswer } from './final-answer.js';
import { fitRequest } from './fit-request.js';
import { guardHooks } from './guard-hooks.js';
import type { LoopContext } from './loop-context.js';
import { ANSWER_REMINDER, LAST_STEP_NOTICE } from './system-prompt.js';

let generatedIds = 0;

/** Some OpenAI-compatible servers omit tool call ids; the answer cites them, so every call gets one. */
function withToolCallIds(message: AIMessage): AIMessage {
  if (!message.tool_calls?.some((call) => !call.id)) return message;
  return new AIMessage({
    content: message.content,
    tool_calls: message.tool_calls.map((call) => ({ ...call, id: call.id ?? `call_h${++generatedIds}` })),
    ...(message.usage_metadata ? { usage_metadata: message.usage_metadata } : {}),
    response_metadata: message.response_metadata,
  });
}

/**
 * One model turn: offers the tools (only final_answer on the last step or once tool calls are
 * capped), fits the request to each model's window, reserves the call's worst case through the
 * guard, calls down the model list, meters the reported usage, and routes: tool calls, a valid
 * answer, a reminder, a compaction when no model can take the request, or a stop.
 */
export function modelNode(context: LoopContext) {
  return async (state: AgentStateValue): Promise<AgentStateUpdate> => {
    const { guard } = context;
    const last = guard.spent.steps + 1 >= guard.caps.maxSteps || state.toolsClosed;
    let messages: BaseMessage[] = state.messages;
    if (last && !messages.some((message) => HumanMessage.isInstance(message) && message.content === LAST_STEP_NOTICE)) {
      messages = [...messages, new HumanMessage(LAST_STEP_NOTICE)];
      context.step('notice', { text: LAST_STEP_NOTICE });
    }
    const tools = last ? [context.answerDefinition] : context.definitionsFor(state.offered);
    const purpose = last ? 'answer' : 'turn';
    const started = performance.now();
    const outcome = await context.caller.call(
      {
        prepare: (entry) =>
          fitRequest(entry, {
            messages,
            tools,
            // The least relevant go first; final_answer never does.
            droppable: last ? [] : [...state.offered].reverse(),
            countTokens: context.countTokens,
            minOutputTokens: context.minOutputTokens,
          }),
        onDelta: context.onDelta,
        answerTool: FINAL_ANSWER_TOOL,
      },
      guardHooks(context, { purpose, newStep: true, toolsRead: state.toolsRead }),
    );
    const durationMs = performance.now() - started;
    const usage = guard.decisions.filter((decision) => decision.action === 'settle').at(-1)?.usage;
    if (outcome.status === 'refused') {
      context.step('budget', { decision: outcome.decision, attempts: outcome.attempts }, durationMs);
      return { messages, status: 'budget-exceeded', stopReason: `budget: ${outcome.decision.reason}` };
    }
    if (outcome.status === 'failed') {
      const tooLong = outcome.attempts.every(
        (attempt) => attempt.outcome === 'unfit' || attempt.outcome === 'context-length',
      );
      if (tooLong && !state.compactNeeded) {
        // No model can take it: summarise older turns now, then try again.
        context.step('context-fit', { purpose, attempts: outcome.attempts, action: 'compact' }, durationMs);
        return { compactNeeded: true };
      }
      context.step('model-error', { purpose, attempts: outcome.attempts, error: outcome.error.message }, durationMs);
      return { messages, status: 'failed', stopReason: outcome.error.message };
    }
    const reply = withToolCallIds(outcome.message);
    const calls = reply.tool_calls ?? [];
    context.step(
      'model-call',
      {
        purpose,
        model: outcome.entry.name,
        attempts: outcome.attempts,
        estimatedInputTokens: outcome.prepared.inputTokens,
        maxTokens: outcome.prepared.maxTokens,
        toolsOffered: outcome.prepared.tools.map((tool) => tool.function.name),
        ...(outcome.prepared.dropped.length > 0 ? { toolsDropped: outcome.prepared.dropped } : {}),
        usage,
        content: messageText(reply),
        toolCalls: calls.map((call) => ({ id: call.id, name: call.name, args: call.args })),
      },
      durationMs,
    );
    const conversation = [...messages, reply];
    const answerCall = calls.find((call) => call.name === FINAL_ANSWER_TOOL);
    const context_ = { sources: context.sources, runbooks: context.runbookIds };
    if (answerCall) {
      const checked =
        calls.length === 1
          ? validateAnswer(answerCall.args, context_)
          : { ok: false as const, issues: ['final_answer must be called alone, after the other tool results are in'] };
      if (checked.ok) {
        context.step('answer', { answer: checked.answer });
        return { messages: conversation, status: 'completed', answer: checked.answer, toolsRead: [] };
      }
      context.step('answer-invalid', { issues: checked.issues });
      const replies = calls.map(
        (call) =>
          new ToolMessage({
            tool_call_id: call.id!,
            status: 'error',
            content:
              call === answerCall
                ? `Invalid answer, not accepted:\n- ${checked.issues.join('\n- ')}\nFix these and call final_answer again.`
                : 'Not run: final_answer must be called alone.',
          }),
      );
      return { messages: [...conversation, ...replies], toolsRead: [] };
    }
    if (calls.length > 0) return { messages: conversation };
    const fromText = answerFromText(messageText(reply));
    const checked = fromText === undefined ? undefined : validateAnswer(fromText, context_);
    if (checked?.ok) {
      context.step('answer', { answer: checked.answer, fromText: true });
      return { messages: conversation, status: 'completed', answer: checked.answer, toolsRead: [] };
    }
    if (state.reminders < 1) {
      // A tool call whose arguments were not JSON arrives as an invalid call, not a call: say so.
      const broken = (reply.invalid_tool_calls ?? []).map(
        (call) => `${call.name ?? '?'}: ${call.error ?? 'arguments are not valid JSON'}`,
      );
      const issues = [...(checked && !checked.ok ? checked.issues : []), ...broken];
      context.step('notice', { text: ANSWER_REMINDER, issues });
      return {
        messages: [
          ...conversation,
          new HumanMessage(
            ANSWER_REMINDER + (issues.length > 0 ? `\nProblems with what you sent: ${issues.join('; ')}` : ''),
          ),
        ],
        reminders: state.reminders + 1,
        toolsRead: [],
      };
    }
    return {
      messages: conversation,
      status: 'degraded',
      stopReason: 'the model answered without a valid structured answer',
      toolsRead: [],
    };
  };
}

/** After a model turn: run the tool calls, take another turn, or stop. */
export function routeAfterModel(state: AgentStateValue): 'tools' | 'compact' | '__end__' {
  if (state.status !== 'running') return '__end__';
  const last = state.messages.at(-1);
  if (last && AIMessage.isInstance(last) && (last.tool_calls?.length ?? 0) > 0) return 'tools';
  return 'compact';
}
