import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { HolmesError } from '../../core/errors.js';
import type { InvestigationResult } from '../../core/investigation.js';
import type { CommandContext } from '../command-context.js';
import { writeJson } from '../command-context.js';
import { withSources, type SourceOptions } from '../with-sources.js';

export interface AskOptions extends SourceOptions {
  interactive?: boolean;
  /** Who asks, for the team mapping (budget.users `cli:<name>`); default: the login name. */
  user?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/**
 * `holmes ask "QUESTION"`: one answer by default; `--interactive` keeps a thread (follow-ups see
 * the earlier questions and answers). Needs a model; without one it says how to add one.
 */
export async function askCommand(
  context: CommandContext,
  question: string | undefined,
  options: AskOptions,
): Promise<void> {
  const { noModelError } = await import('../../agent/no-model-error.js');
  if (context.config.models.length === 0) throw noModelError();
  let first = question?.trim();
  if (!first && !options.interactive && !process.stdin.isTTY) first = await readStdin();
  if (!first && !options.interactive)
    throw new HolmesError('USAGE', 'No question given.', {
      fix: 'Run `holmes ask "why is p99 of chat-api worse than yesterday?"`, pipe the question on stdin, or use --interactive.',
    });
  const [{ createAgent }, { answerText }, { renderResult }, { randomUUID }, { createProgress }] = await Promise.all([
    import('../../agent/create-agent.js'),
    import('../../agent/agent-result.js'),
    import('../render-investigation.js'),
    import('node:crypto'),
    import('../agent-progress.js'),
  ]);
  const requester = `cli:${options.user ?? userInfo().username}`;
  const show = (result: InvestigationResult) => {
    if (context.json) context.out.write(`${JSON.stringify(result)}\n`);
    else context.out.write(renderResult(result));
  };
  await withSources(context, options, async (config) => {
    const agent = await createAgent(config);
    for (const warning of agent.warnings) context.logger.warn(warning);
    // On a terminal: progress, and the answer streamed as the model writes it.
    const progress = createProgress(context);
    const live = progress ? { onEvent: progress.onEvent, stream: true } : {};
    try {
      if (!options.interactive) {
        const result = await agent.ask(first!, { requester, ...live });
        progress?.close();
        if (context.json) writeJson(context, result);
        else show(result);
        if (result.status === 'failed')
          throw new HolmesError(
            'UPSTREAM_UNAVAILABLE',
            `The question could not be answered: ${result.llm?.stopReason ?? 'the loop failed'}.`,
            { fix: 'Check the models list (base URLs, keys) or try again; `holmes replay` shows what happened.' },
          );
        return;
      }
      const threadId = randomUUID();
      const history: Array<{ question: string; answer: string }> = [];
      const followUp = async (next: string) => {
        const result = await agent.ask(next, { requester, threadId, history: [...history], ...live });
        progress?.pause();
        show(result);
        history.push({ question: next, answer: answerText(result).slice(0, 2_000) });
      };
      const lines = createInterface({
        input: process.stdin,
        output: context.err as NodeJS.WritableStream,
        terminal: Boolean(process.stdin.isTTY),
      });
      // Taken now: lines that arrive while the first answer is worked on are buffered, not lost.
      const incoming = lines[Symbol.asyncIterator]();
      // Ctrl-C ends the thread like Ctrl-D: the iterator finishes.
      lines.on('SIGINT', () => lines.close());
      context.err.write('Ask a question; follow-ups keep the thread. An empty line, Ctrl-D or Ctrl-C ends.\n');
      try {
        if (first) await followUp(first);
        context.err.write('holmes> ');
        for (let line = await incoming.next(); !line.done; line = await incoming.next()) {
          const next = line.value.trim();
          if (!next || next === 'exit' || next === 'quit') break;
          await followUp(next);
          context.err.write('holmes> ');
        }
      } finally {
        lines.close();
      }
    } finally {
      progress?.close();
      agent.close();
    }
  });
}
