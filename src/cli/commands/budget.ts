import { formatUsd } from '../../core/format-usd.js';
import type { CommandContext } from '../command-context.js';
import { terminalText } from '../../core/terminal-text.js';
import { writeJson } from '../command-context.js';

export interface BudgetOptions {
  days?: string;
  team?: string;
  /** One more breakdown: namespace, alertname or tool (the tools whose results a call read). */
  by?: 'namespace' | 'alertname' | 'tool';
}

interface TeamRow {
  team: string;
  dayUsd: number;
  dailyUsd: number | null;
  monthUsd: number;
  monthlyUsd: number | null;
  overBudget: boolean;
}

const table = (cells: string[][]) => {
  // One line per row: a team or alert name holding a newline cannot forge a row.
  const rows = cells.map((row) => row.map((cell) => terminalText(cell)));
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`.trimEnd())
    .join('\n');
};

/** `holmes budget`: spend per team (today and this month, against the budgets), per model and per day. */
export async function budgetCommand(context: CommandContext, options: BudgetOptions): Promise<void> {
  const [{ openStore }, { HolmesError }, { overBudget }, { describeModels }, { describePrice }] = await Promise.all([
    import('../../ledger/open-store.js'),
    import('../../core/errors.js'),
    import('../../agent/admission.js'),
    import('../../agent/model-registry.js'),
    import('../../agent/model-catalog.js'),
  ]);
  const days = Number(options.days ?? 7);
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw new HolmesError('USAGE', `--days ${options.days} is not a number of days.`, {
      fix: 'Give --days N with N from 1 to 366.',
    });
  const { budget, storage } = context.config;
  const store = await openStore(storage);
  try {
    const { ledger } = store;
    const sinceDay = new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    const monthStart = `${new Date().toISOString().slice(0, 7)}-01`;
    const seen = (await ledger.spendBy('team', { sinceDay: monthStart < sinceDay ? monthStart : sinceDay })).map(
      (row) => row.key,
    );
    const names = [...new Set([...Object.keys(budget.teams), ...seen])]
      .filter((team) => !options.team || team === options.team)
      .sort();
    const spentByTeam = await Promise.all(names.map((team) => ledger.spent(team)));
    const teams: TeamRow[] = names.map((team, index) => {
      const limits = budget.teams[team] ?? budget.otherTeams;
      const spent = spentByTeam[index]!;
      const over = overBudget(limits, spent).length > 0;
      return {
        team,
        dayUsd: spent.dayUsd,
        dailyUsd: limits.dailyUsd ?? null,
        monthUsd: spent.monthUsd,
        monthlyUsd: limits.monthlyUsd ?? null,
        overBudget: over,
      };
    });
    const filter = { sinceDay, team: options.team };
    const byModel = await ledger.spendBy('model', filter);
    const byDay = await ledger.spendBy('day', filter);
    const extra = options.by ? await ledger.spendBy(options.by, filter) : undefined;
    // Where each price and window comes from: the config, the catalog, or an assumption.
    const models = describeModels(context.config).map(({ facts }) => ({
      name: facts.name,
      price: facts.price,
      priceSource: facts.priceSource,
      contextWindow: facts.contextWindow,
      windowSource: facts.windowSource,
    }));
    if (context.json) {
      writeJson(context, {
        since: sinceDay,
        models,
        teams,
        byModel,
        byDay,
        ...(options.by ? { [`by${options.by[0]!.toUpperCase()}${options.by.slice(1)}`]: extra } : {}),
        otherTeams: budget.otherTeams,
        perInvestigation: budget.perInvestigation,
      });
      return;
    }
    const out: string[] = [
      `Spend from the ledger (${store.location}); UTC days. Budgets for unlisted teams: ${budget.otherTeams.dailyUsd !== undefined ? formatUsd(budget.otherTeams.dailyUsd) : 'none'}/day, ${budget.otherTeams.monthlyUsd !== undefined ? formatUsd(budget.otherTeams.monthlyUsd) : 'none'}/month.`,
      '',
    ];
    if (teams.length === 0) out.push('No spend recorded and no team budgets configured (budget.teams).');
    else
      out.push(
        'TEAMS',
        table([
          ['team', 'today', 'daily budget', 'this month', 'monthly budget', 'status'],
          ...teams.map((row) => [
            row.team,
            formatUsd(row.dayUsd),
            row.dailyUsd === null ? '-' : formatUsd(row.dailyUsd),
            formatUsd(row.monthUsd),
            row.monthlyUsd === null ? '-' : formatUsd(row.monthlyUsd),
            row.overBudget ? 'OVER: deterministic only' : 'ok',
          ]),
        ]),
      );
    // `~`: some of the row's calls are our estimate, not the provider's report.
    const spendRows = (rows: typeof byModel) =>
      table([
        ['', 'calls', 'input tokens', 'cached', 'output tokens', 'USD', 'notes'],
        ...rows.map((row) => {
          const mark = row.estimatedCalls > 0 ? '~' : '';
          const notes = [
            row.estimatedCalls > 0 ? `${row.estimatedCalls} estimated` : '',
            row.flaggedCalls > 0 ? `${row.flaggedCalls} over reservation` : '',
          ].filter(Boolean);
          return [
            row.key,
            String(row.calls),
            `${mark}${row.inputTokens}`,
            String(row.cachedTokens),
            `${mark}${row.outputTokens}`,
            `${mark}${formatUsd(row.usd)}`,
            notes.join(', '),
          ];
        }),
      ]);
    const estimated = byModel.some((row) => row.estimatedCalls > 0);
    if (models.length > 0)
      out.push(
        '',
        'MODELS (prices per 1M tokens, and where each figure comes from)',
        table([
          ['model', 'price', 'price from', 'window', 'window from'],
          ...models.map((model) => [
            model.name,
            describePrice(model.price).replace(' per 1M in/out', ''),
            model.priceSource,
            String(model.contextWindow),
            model.windowSource,
          ]),
        ]),
      );
    out.push('', `BY MODEL (since ${sinceDay})`, byModel.length > 0 ? spendRows(byModel) : '  none');
    out.push('', `BY DAY (since ${sinceDay})`, byDay.length > 0 ? spendRows(byDay) : '  none');
    if (options.by && extra)
      out.push(
        '',
        `BY ${options.by.toUpperCase()} (since ${sinceDay})`,
        extra.length > 0 ? spendRows(extra) : '  none',
      );
    if (estimated)
      out.push(
        '',
        '~ includes estimated calls: no usage reported (counted locally), or a call that timed out or was cut off (charged its reservation).',
      );
    // Team, namespace and alert names come from alert labels: shown, never obeyed by the terminal.
    context.out.write(`${out.map((line) => terminalText(line, { multiline: true })).join('\n')}\n`);
  } finally {
    await store.close();
  }
}
