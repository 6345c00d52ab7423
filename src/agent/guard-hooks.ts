import type { AttemptHooks } from './call-with-failover.js';
import { countMessage } from './count-message-tokens.js';
import type { LoopContext } from './loop-context.js';

/**
 * The guard around every model call of the loop: reserve each attempt's worst case (fitted
 * max_tokens, input times the model's estimate factor), meter what the provider reports (or our
 * count, marked estimated, when it reports nothing), flag usage far above the reservation, and
 * tell the caller as calls go out and models are passed over.
 */
export function guardHooks(
  context: LoopContext,
  options: { purpose: string; newStep: boolean; toolsRead?: string[] | undefined },
): AttemptHooks {
  const { guard } = context;
  let newStep = options.newStep;
  return {
    reserve: async (entry, prepared, fallback) => {
      const reserved = await guard.reserve({
        entry,
        inputTokens: prepared.inputTokens,
        outputTokens: prepared.maxTokens,
        purpose: options.purpose,
        newStep,
        fallback,
      });
      // One step however many attempts it takes.
      newStep = false;
      return reserved;
    },
    settle: async (reservation, settled) => {
      const usage =
        settled.usage ??
        (settled.message
          ? {
              inputTokens: settled.prepared.inputTokens,
              cachedTokens: 0,
              cacheWriteTokens: 0,
              outputTokens: countMessage(settled.message, context.countTokens),
              estimated: true,
            }
          : undefined);
      const metered = await guard.settle(reservation, {
        usage,
        result: settled.result,
        tools: options.toolsRead,
        billable: settled.billable,
      });
      if (metered.flag)
        context.step('usage-flag', {
          model: reservation.entry.name,
          purpose: options.purpose,
          flag: metered.flag,
          usage: metered,
          reserved: reservation.worstCase,
        });
      return metered;
    },
    onEvent: (event) =>
      context.progress(event.kind === 'call' ? 'model-start' : 'failover', { ...event, purpose: options.purpose }),
  };
}
