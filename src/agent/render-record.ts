import type { RecordRow, RecordStep } from '../ledger/record-store.js';
import { terminalText } from '../core/terminal-text.js';
import { readableQuery, type ResolvedAnswer } from './final-answer.js';
import { formatUsd } from '../core/format-usd.js';
import { renderAnswer } from './render-agent-result.js';

export interface RenderRecordOptions {
  /** Tool outputs and prompts cut to a few lines. */
  brief?: boolean;
}

const indent = (text: string, prefix = '     ', brief = false, most = 6) => {
  const lines = text.split('\n');
  const kept = brief && lines.length > most ? [...lines.slice(0, most), `… ${lines.length - most} more lines`] : lines;
  return kept.map((line) => `${prefix}${line}`);
};

type Data = Record<string, any>;

function renderStep(step: RecordStep, options: RenderRecordOptions): string[] {
  const data = step.data as Data;
  const took = step.durationMs !== null ? ` (${step.durationMs} ms)` : '';
  const head = `#${step.seq} ${step.kind}${took}`;
  const brief = Boolean(options.brief);
  switch (step.kind) {
    case 'admission':
      return [`${head}  ${data.mode} — ${data.reason}`];
    case 'deterministic':
      return [
        `${head}  ${data.rootCause ? `root cause ${data.rootCause.id} (confidence ${data.rootCause.confidence})` : 'no root cause'}; ranked ${(data.ranked as Data[]).map((entry) => `${entry.cause} ${entry.score}`).join(', ')}; ${data.queries} queries`,
      ];
    case 'prompt':
      return [
        `${head}  tools ${Array.isArray(data.tools) ? data.tools.join(', ') : Array.isArray(data.toolsets) ? data.toolsets.join(', ') : (data.toolsets ?? '-')}; evidence ${(data.evidenceIds as string[]).join(' ') || '-'}`,
        ...(data.messages as Data[]).flatMap((message) => [
          `   ${message.role}:`,
          ...indent(String(message.content), '     ', brief),
        ]),
      ];
    case 'first-look':
      return [
        head,
        ...(data.results as Data[]).flatMap((result) => [
          `   ${result.tool} ${JSON.stringify(result.params)} → ${result.status}`,
          ...indent(String(result.output), '     ', brief),
        ]),
      ];
    case 'model-call': {
      const usage = data.usage as Data | undefined;
      // Passed over for the budget or the window: say why, it is why another model answered.
      const attempts = (data.attempts as Data[])
        .map(
          (attempt) =>
            `${attempt.model}: ${attempt.outcome}${attempt.status ? ` ${attempt.status}` : ''}${['over-budget', 'unfit'].includes(String(attempt.outcome)) ? ` (${attempt.message})` : ''}`,
        )
        .join(' → ');
      const cache = [
        usage?.cachedTokens ? `${usage.cachedTokens} cached` : '',
        usage?.cacheWriteTokens ? `${usage.cacheWriteTokens} written to the cache` : '',
      ].filter(Boolean);
      const lines = [
        `${head}  ${data.purpose} on ${data.model}; ${usage ? `${usage.inputTokens} in${cache.length ? ` (${cache.join(', ')})` : ''} / ${usage.outputTokens} out tokens, ${formatUsd(usage.usd)}${usage.estimated ? ' (estimated: no usage reported)' : ''}${usage.flag ? ` [${usage.flag}]` : ''}` : 'no usage'}${data.maxTokens ? `; max_tokens ${data.maxTokens}` : ''}`,
      ];
      if (Array.isArray(data.toolsDropped) && data.toolsDropped.length > 0)
        lines.push(`   left out to fit the window: ${(data.toolsDropped as string[]).join(', ')}`);
      if ((data.attempts as Data[]).length > 1) lines.push(`   attempts: ${attempts}`);
      if (data.content) lines.push('   says:', ...indent(String(data.content), '     ', brief));
      for (const call of data.toolCalls as Data[])
        lines.push(`   calls ${call.name} ${JSON.stringify(call.args)} [${call.id}]`);
      return lines;
    }
    case 'model-error':
      return [`${head}  ${data.purpose}: ${data.error}`];
    case 'context-fit':
      return [
        `${head}  ${data.purpose}: no model could take the request (${(data.attempts as Data[]).map((attempt) => `${attempt.model}: ${attempt.message ?? attempt.outcome}`).join('; ')}); older turns are summarised`,
      ];
    case 'usage-flag': {
      const usage = data.usage as Data;
      const reserved = data.reserved as Data;
      return [
        `${head}  ${data.model} ${data.purpose}: ${data.flag}: reported ${usage.inputTokens} in / ${usage.outputTokens} out, reserved ${reserved.inputTokens} / ${reserved.outputTokens}`,
      ];
    }
    case 'tool-call':
      return [
        `${head}  ${data.name} ${JSON.stringify(data.args)} [${data.id}] → ${data.status}, ${data.outputTokens} tokens`,
        ...indent(String(data.output), '   | ', brief),
        ...(data.requests as string[]).slice(0, brief ? 2 : 20).map((request) => `   query: ${readableQuery(request)}`),
      ];
    case 'tool-refused':
      return [`${head}  ${data.name} ${JSON.stringify(data.args)} [${data.id}]: ${data.message}`];
    case 'budget': {
      const decision = data.decision as Data;
      return [`${head}  ${decision.action}${decision.cap ? ` (${decision.cap})` : ''}: ${decision.reason}`];
    }
    case 'compaction':
      return data.skipped
        ? [`${head}  skipped: ${data.skipped}`]
        : [
            `${head}  ${data.summarised} messages summarised by ${data.model}: ${data.tokensBefore} → ${data.tokensAfter} tokens`,
            ...indent(String(data.summary), '     ', brief),
          ];
    case 'notice':
      return [`${head}  ${data.text}`];
    case 'answer-invalid':
      return [`${head}`, ...(data.issues as string[]).map((issue) => `   - ${issue}`)];
    case 'answer':
      return [
        `${head}${data.fromText ? ' (from text)' : ''}`,
        ...renderAnswer(data.answer as ResolvedAnswer).map((line) => `   ${line}`),
      ];
    case 'finish':
      return [`${head}  ${data.status}${data.stopReason ? `: ${data.stopReason}` : ''}`];
    default:
      return [`${head}  ${JSON.stringify(data)}`];
  }
}

/** A record re-rendered step by step from what was stored: no model and no tool is called. */
export function renderRecord(record: RecordRow & { steps: RecordStep[] }, options: RenderRecordOptions = {}): string {
  const lines = [
    `${record.kind === 'alert' ? 'Alert' : 'Question'} ${record.subject}`,
    `Record ${record.id} · ${record.state}${record.mode ? ` · ${record.mode}` : ''} · team ${record.team ?? '-'} · started ${record.startedAt}${record.finishedAt ? ` · finished ${record.finishedAt}` : ''}`,
    `Usage ${record.inputTokens} in / ${record.outputTokens} out tokens · ${formatUsd(record.usd)}${record.error ? ` · error: ${record.error}` : ''}`,
    '',
  ];
  for (const step of record.steps) lines.push(...renderStep(step, options));
  if (record.state === 'running') lines.push('', '(still running: its process is alive)');
  // Prompts and outputs span lines; escape sequences and other controls in them are shown, not obeyed.
  return `${lines.map((line) => terminalText(line, { multiline: true })).join('\n')}\n`;
}
