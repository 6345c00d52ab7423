import { formatUsd } from '../core/format-usd.js';
import type { InvestigationStep } from '../core/investigation.js';
import type { MeteredUsage } from '../core/llm-outcome.js';
import type { AgentEvent } from '../agent/run-agent.js';
import { terminalText } from '../core/terminal-text.js';
import type { CommandContext } from './command-context.js';

/** No stretch longer than this goes by without a line on the terminal. */
const SILENT_MS = 2_000;

export interface Progress {
  onEvent: (event: AgentEvent) => void;
  /** Steps of the deterministic investigator when it runs alone (no model configured). */
  onStep: (step: InvestigationStep) => void;
  /** Quiet until the next event (a result is shown, the user types a follow-up). */
  pause: () => void;
  /** Stops the heartbeat; call it when the command is done. */
  close: () => void;
}

export interface ProgressOptions {
  /** How often the heartbeat checks for silence (tests pass fake timers). */
  tickMs?: number;
}

type Data = Record<string, unknown>;

const took = (event: AgentEvent) => (event.durationMs !== undefined ? ` (${Math.round(event.durationMs)} ms)` : '');

function usageText(usage: MeteredUsage | undefined): string {
  if (!usage) return '';
  const mark = usage.estimated ? '~' : '';
  const cached = usage.cachedTokens ? `, ${usage.cachedTokens} cached` : '';
  return ` ${mark}${usage.inputTokens} in${cached} / ${mark}${usage.outputTokens} out, ${mark}${formatUsd(usage.usd)}${usage.estimated ? ' (estimated)' : ''}`;
}

/**
 * What happens as it happens, on a terminal only (stderr; never with --json): the deterministic
 * phase, each model call going out and coming back, each failover, tool calls, and the answer's
 * text as the model writes it. When nothing was said for 2 s, a line says what is being waited on.
 */
export function createProgress(context: CommandContext, options: ProgressOptions = {}): Progress | undefined {
  if (!(context.err as NodeJS.WriteStream).isTTY || context.json) return undefined;
  let lastWrite = Date.now();
  let paused = false;
  let waitingSince = Date.now();
  let waiting = 'starting';
  /** Text of the model is being written on the current line. */
  let streaming = false;
  // Tool names, arguments, reasons, steps and the model's text come from the model and the alert:
  // shown, never obeyed by the terminal.
  const write = (text: string) => {
    if (streaming) context.err.write('\n');
    streaming = false;
    context.err.write(`${terminalText(text.replace(/\n$/, ''))}\n`);
    lastWrite = Date.now();
  };
  const stream = (raw: string) => {
    const text = terminalText(raw, { multiline: true }).replace(/\n/g, '\n    ');
    context.err.write(streaming ? text : `  ✎ ${text}`);
    streaming = true;
    lastWrite = Date.now();
  };
  const waitFor = (what: string) => {
    waiting = what;
    waitingSince = Date.now();
  };
  const timer = setInterval(() => {
    if (paused || Date.now() - lastWrite < SILENT_MS) return;
    write(`  … ${waiting} (${Math.round((Date.now() - waitingSince) / 1000)} s)\n`);
  }, options.tickMs ?? 500);
  timer.unref();

  const onEvent = (event: AgentEvent) => {
    paused = false;
    const data = event.data as Data;
    switch (event.kind) {
      case 'deterministic-start':
        waitFor('running the runbook checks');
        write('  · deterministic investigation: runbook checks, no model\n');
        return;
      case 'deterministic-step':
        write(`    ${String(data.kind).padEnd(8)} ${String(data.message)}\n`);
        return;
      case 'deterministic': {
        const root = data.rootCause as { id?: string } | null;
        write(
          `  · deterministic: ${root?.id ? `root cause ${root.id}` : 'no root cause'}, ${String(data.queries)} queries${took(event)}\n`,
        );
        return;
      }
      case 'prompt':
      case 'first-look':
        write(`  · evidence gathered${took(event)}\n`);
        return;
      case 'model-start': {
        const dropped = (data.dropped as string[] | undefined) ?? [];
        waitFor(`waiting for ${String(data.model)}`);
        write(
          `  · ${String(data.model)} ${String(data.purpose)}: ~${String(data.inputTokens)} tokens in, up to ${String(data.maxTokens)} out${dropped.length ? `, ${dropped.length} tools left out to fit` : ''}\n`,
        );
        return;
      }
      case 'failover':
        write(
          `  ↷ ${String(data.model)}: ${String(data.outcome)} (${String(data.message).slice(0, 160)})${data.next ? `; trying ${String(data.next)}` : ''}\n`,
        );
        return;
      case 'model-call':
        waitFor('working');
        write(
          `  ✓ ${String(data.model)} ${String(data.purpose)}${took(event)}${usageText(data.usage as MeteredUsage | undefined)}\n`,
        );
        return;
      case 'tools-start':
        waitFor(`running ${(data.tools as string[]).join(', ')}`);
        return;
      case 'tool-call':
        write(`  → ${String(data.name)} ${JSON.stringify(data.args)} ${String(data.status)}${took(event)}\n`);
        return;
      case 'tool-refused':
        write(`  ✗ ${String(data.name)} refused (${String(data.reason)})\n`);
        return;
      case 'budget':
        write(`  $ ${String((data.decision as { reason?: string }).reason)}\n`);
        return;
      case 'usage-flag':
        write(
          `  ! ${String(data.model)} reported far more than was reserved (${String(data.flag)})${usageText(data.usage as MeteredUsage)}\n`,
        );
        return;
      case 'compaction':
        if (!data.skipped)
          write(
            `  · older turns summarised: ${String(data.tokensBefore)} → ${String(data.tokensAfter)} tokens${took(event)}\n`,
          );
        return;
      case 'text-delta':
      case 'answer-delta':
        stream(String(data.text));
        return;
      default:
        return;
    }
  };
  const pause = () => {
    paused = true;
    if (streaming) context.err.write('\n');
    streaming = false;
  };
  return {
    onEvent,
    onStep: (step) => {
      paused = false;
      write(
        `  ${step.kind.padEnd(8)} ${step.message}${step.durationMs !== undefined ? ` (${step.durationMs} ms)` : ''}\n`,
      );
    },
    pause,
    close: () => {
      clearInterval(timer);
      pause();
    },
  };
}
