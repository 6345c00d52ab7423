import { formatUsd } from '../../core/format-usd.js';
import { inlineCode } from './escape-mrkdwn.js';
import type { BudgetStatus } from './slack-hooks.js';

const limit = (usd: number | undefined) => (usd === undefined ? 'no limit' : formatUsd(usd));

/** `/holmes budget`: the asker's team, its spend today and this month against its limits, and the caps. */
export function budgetText(status: BudgetStatus): string {
  const caps = status.caps;
  return [
    `*Team ${inlineCode(status.team)}* (${status.teamSource === 'default' ? 'no team mapped to you in budget.users' : status.teamSource})`,
    `Today: ${formatUsd(status.spent.dayUsd)} of ${limit(status.limits.dailyUsd)} · this month: ${formatUsd(status.spent.monthUsd)} of ${limit(status.limits.monthlyUsd)}`,
    status.over.length > 0
      ? `🛑 Over budget (${status.over.join(' and ')}): questions are not sent to a model; alert investigations stay deterministic (0 tokens).`
      : '✅ Within budget.',
    `Caps per question or investigation: ${caps.maxSteps} steps, ${caps.maxToolCalls} tool calls, ${caps.maxInputTokens.toLocaleString('en-US')} input / ${caps.maxOutputTokens.toLocaleString('en-US')} output tokens, ${formatUsd(caps.maxUsd)}.`,
  ].join('\n');
}

/** Why a question is not answered by the model: the team is over budget, with the figures. */
export function overBudgetText(status: BudgetStatus): string {
  return `🛑 Your team ${inlineCode(status.team)} is over its budget (spent ${status.over.join(' and ')}), so I will not ask the model. \`/holmes budget\` shows the figures; whoever runs Holmes can raise \`budget.teams.${status.team}\`, or wait for the next period.`;
}
