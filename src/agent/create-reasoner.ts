import type { HolmesConfig } from '../config/config-schema.js';
import type { Alert } from '../core/alert.js';
import type { InvestigationResult, InvestigationStep } from '../core/investigation.js';
import { createInvestigator, type Investigator } from '../investigator/create-investigator.js';
import type { Agent, AgentOptions } from './create-agent.js';
import type { Requester } from './admission.js';
import type { AgentEvent } from './run-agent.js';

export interface ReasonerOptions {
  /** Keep every investigation at zero tokens even when models are configured (`--deterministic`). */
  deterministic?: boolean;
  /** Passed to the agent when one is built (tests pass scripted models). */
  agent?: Omit<AgentOptions, 'investigator'>;
}

export interface InvestigateAlertOptions {
  requester?: Requester;
  /** Progress of the deterministic phase. */
  onStep?: (step: InvestigationStep) => void;
  /** Progress of the agent's loop. */
  onEvent?: (event: AgentEvent) => void;
}

/** Who answers an alert, decided once from the config, so every entry point behaves the same. */
export interface Reasoner {
  mode: 'llm' | 'deterministic';
  investigator: Investigator;
  /** The agent, when models are configured and not turned off. */
  agent: Agent | undefined;
  warnings: string[];
  investigate(alert: Alert, options?: InvestigateAlertOptions): Promise<InvestigationResult>;
  close(): void;
}

/**
 * The agent when models are configured (it starts from the deterministic evidence and falls back
 * to it when a budget is spent); the deterministic investigator otherwise, or when asked to.
 */
export async function createReasoner(config: HolmesConfig, options: ReasonerOptions = {}): Promise<Reasoner> {
  const investigator = await createInvestigator(config);
  const useAgent = config.models.length > 0 && !options.deterministic;
  // Loaded only when used: the deterministic path stays free of the model libraries.
  const agent = useAgent
    ? await (await import('./create-agent.js')).createAgent(config, { ...options.agent, investigator })
    : undefined;
  return {
    mode: agent ? 'llm' : 'deterministic',
    investigator,
    agent,
    warnings: agent?.warnings ?? [],
    investigate: (alert, runOptions = {}) =>
      agent
        ? agent.investigate(alert, { requester: runOptions.requester, onEvent: runOptions.onEvent })
        : investigator.investigate(alert, runOptions.onStep),
    close: () => agent?.close(),
  };
}
