import { Command, Help, Option } from 'commander';
import type { CommandContext, GlobalOptions } from './command-context.js';
import type { InvestigateAlertmanagerOptions } from './commands/investigate-alertmanager.js';
import type { InvestigateJiraOptions } from './commands/investigate-jira.js';

// Command implementations are imported lazily so `holmes --help` stays fast.
type Action<A extends unknown[]> = (context: CommandContext, ...args: A) => Promise<void>;

function run<A extends unknown[]>(load: () => Promise<Action<A>>) {
  return async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const globals = command.optsWithGlobals<GlobalOptions>();
    const { createCommandContext } = await import('./command-context.js');
    const context = await createCommandContext(globals);
    const action = await load();
    await action(context, ...(args.slice(0, -1) as A));
  };
}

/** Where telemetry comes from: the config, these flags, or a scenario's lab. */
function sourceOptions(command: Command): Command {
  return command
    .option('--scenario <dir>', 'run against the lab of this scenario instead of a cluster')
    .option('--prometheus-url <url>', 'Prometheus base URL (overrides prometheus.url)')
    .option('--kubeconfig <file>', 'kubeconfig file (overrides kubernetes.kubeconfig)')
    .option('--kube-context <name>', 'kubeconfig context');
}

/** A command with subcommands that also runs by itself (`investigate`) declares options of its own; groups (`lab`) do not. */
function runsItself(command: Command): boolean {
  return command.options.some((option) => option.long !== '--help');
}

/**
 * Commands with subcommands are replaced by those subcommands (and kept when they also run by
 * themselves), depth first; hidden ones stay out.
 * (visibleCommands also adds the implicit `help` command, which is not among `commands`.)
 */
function leafCommands(help: Help, command: Command): Command[] {
  return Help.prototype.visibleCommands
    .call(help, command)
    .filter((child) => command.commands.includes(child))
    .flatMap((child) =>
      child.commands.length > 0 ? [...(runsItself(child) ? [child] : []), ...leafCommands(help, child)] : [child],
    );
}

/**
 * `holmes --help` lists every command one can run (`lab up`, not only `lab`), each on one line;
 * terms carry their parents' names, so `holmes lab --help` shows `lab up` and `lab check`.
 */
const helpConfiguration: Partial<Help> = {
  visibleCommands(this: Help, command: Command) {
    const visible = Help.prototype.visibleCommands.call(this, command);
    if (command.parent) return visible;
    return [...leafCommands(this, command), ...visible.filter((child) => !command.commands.includes(child))];
  },
  subcommandTerm(this: Help, command: Command) {
    const parents: string[] = [];
    for (let parent = command.parent; parent?.parent; parent = parent.parent) parents.unshift(parent.name());
    // `[options]` is left out: every command has some, and `investigate alertmanager` needs the width.
    return [...parents, Help.prototype.subcommandTerm.call(this, command).replace(' [options]', '')].join(' ');
  },
};

// A command's summary (or its description when it has none) stays within 47 characters: one
// line each in an 80-column `holmes --help`. The description may be longer; its own --help shows it.
export function createProgram(version: string): Command {
  const program = new Command('holmes')
    // Before any subcommand exists: they copy these settings when created, so a bad flag of
    // `lab up` throws to main.ts (exit code 2) instead of exiting inside commander.
    .exitOverride()
    .configureHelp(helpConfiguration)
    .description('Investigates alerts on Kubernetes, GPU and LLM workloads: read-only, evidence first, budgeted.')
    .version(version, '-V, --version', 'print the version')
    .option('-c, --config <file>', 'config file (default: ./holmes.yaml, then ~/.config/holmes/config.yaml)')
    .option('--json', 'print results as JSON on stdout')
    .addOption(
      new Option('--log-level <level>', 'log level on stderr').choices([
        'fatal',
        'error',
        'warn',
        'info',
        'debug',
        'trace',
        'silent',
      ]),
    )
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('demo')
    .description('investigate an example GPU incident in the lab')
    .argument('[scenario]', 'scenario folder (default: the example GPU incident)')
    .action(run(async () => (await import('./commands/demo.js')).demo));

  const investigate = sourceOptions(
    program
      .command('investigate')
      .description(
        'find the root cause of an alert from evidence (deterministic at zero tokens; the LLM agent when models are configured)',
      )
      .summary("find an alert's root cause")
      .option('--alert-file <file>', 'one alert, a list, or an Alertmanager webhook body (JSON or YAML, at most 10 MB)')
      .option('--limit <n>', 'investigate at most this many groups of the alert file (default 20)')
      .option('--deterministic', 'zero tokens even when models are configured')
      .option('--graphs <dir>', "write the root cause's graphs as PNG files (<id>-<n>.png) into this directory"),
  ).action(run(async () => (await import('./commands/investigate.js')).investigateCommand));
  sourceOptions(
    investigate
      .command('alertmanager')
      .description('investigate the alerts firing now in an Alertmanager (pull mode, read-only: GET /api/v2/alerts)')
      .summary('investigate the firing alerts of an Alertmanager')
      .requiredOption('--url <url>', 'Alertmanager base URL, e.g. http://alertmanager:9093')
      .option('--alertname <regex>', 'only alerts whose name matches (anchored, RE2)')
      .option(
        '--label <name=value>',
        'only alerts with this label (repeatable)',
        (value: string, previous: string[] = []) => [...previous, value],
      )
      .option('--limit <n>', 'investigate at most this many alerts, oldest first (default 20)'),
  ).action(
    run(async () => {
      const { investigateAlertmanagerCommand } = await import('./commands/investigate-alertmanager.js');
      // The parent declares the same source flags and commander gives them to it wherever they
      // stand (`investigate alertmanager --scenario X`), so its values are merged in.
      return (context: CommandContext, options: InvestigateAlertmanagerOptions) =>
        investigateAlertmanagerCommand(context, { ...investigate.opts(), ...options });
    }),
  );

  sourceOptions(
    investigate
      .command('jira')
      .description(
        'investigate the Jira tickets a JQL query finds (the alert Holmes recorded on its tickets, else the text, with a model); --update comments each result back',
      )
      .summary('investigate the tickets a JQL query finds')
      .requiredOption('--jql <query>', "JQL, e.g. 'project = OPS AND labels = holmes AND statusCategory != Done'")
      .option('--update', 'comment each result back on its ticket')
      .option('--limit <n>', 'investigate at most this many tickets (default 20)'),
  ).action(
    run(async () => {
      const { investigateJiraCommand } = await import('./commands/investigate-jira.js');
      return (context: CommandContext, options: InvestigateJiraOptions) =>
        investigateJiraCommand(context, { ...investigate.opts(), ...options });
    }),
  );

  program
    .command('eval')
    .description(
      'run every scenario through the lab and the investigator (or, with --mode llm, the agent and its models); score them',
    )
    .summary('score the investigator on every scenario')
    .option('--scenarios <dir>', 'folder of scenario folders', 'evals/scenarios')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'md', 'text']).default('text'))
    .addOption(
      new Option('--mode <mode>', 'deterministic investigator, or the LLM agent with the configured models')
        .choices(['deterministic', 'llm'])
        .default('deterministic'),
    )
    .action(run(async () => (await import('./commands/eval.js')).evalCommand));

  sourceOptions(
    program
      .command('ask')
      .description('answer a free-form question with the LLM agent: evidence first, read-only tools, within budget')
      .summary('answer a question with the LLM agent')
      .argument('[question]', 'the question (or pipe it on stdin)')
      .option('-i, --interactive', 'keep asking follow-ups in one thread')
      .option('--user <name>', 'who asks, for budget.users (default: your login)'),
  ).action(
    run(async () => {
      const { askCommand } = await import('./commands/ask.js');
      return (context: CommandContext, question: string | undefined, options: Parameters<typeof askCommand>[2]) =>
        askCommand(context, question, options);
    }),
  );

  program
    .command('budget')
    .description('LLM spend per team, model and day against the budgets, from the ledger')
    .summary('LLM spend per team / model / day vs budgets')
    .option('--days <n>', 'days of history per model and per day', '7')
    .option('--team <team>', 'only this team')
    .addOption(new Option('--by <dimension>', 'one more breakdown').choices(['namespace', 'alertname', 'tool']))
    .action(run(async () => (await import('./commands/budget.js')).budgetCommand));

  const investigations = program
    .command('investigations')
    .description('recorded investigations and questions (the agent keeps every step)');
  investigations
    .command('list')
    .description('recorded investigations, newest first')
    .option('--limit <n>', 'how many', '20')
    .option('--state <state>', 'running, completed, degraded, budget-exceeded or failed')
    .option('--team <team>', 'only this team')
    .action(run(async () => (await import('./commands/investigations.js')).investigationsList));
  investigations
    .command('show')
    .description("one investigation's result")
    .argument('<id>', 'record id (a unique prefix is enough)')
    .action(run(async () => (await import('./commands/investigations.js')).investigationsShow));

  program
    .command('replay')
    .description('re-render a recorded investigation step by step, calling no model and no tool')
    .summary('re-render a recorded investigation')
    .argument('<id>', 'record id (a unique prefix is enough)')
    .option('--brief', 'cut prompts and tool outputs to a few lines')
    .action(
      run(async () => {
        const { replayCommand } = await import('./commands/replay.js');
        return (context: CommandContext, id: string, options: { brief?: boolean }) =>
          replayCommand(context, id, options);
      }),
    );

  program
    .command('serve')
    .summary('run the Alertmanager receiver and HTTP API')
    .description('run the Alertmanager webhook receiver and HTTP API (auth, dedup, durable queue, /metrics)')
    .option('--host <host>', 'listen address (overrides server.host)')
    .option('--port <port>', 'listen port (overrides server.port; 0 picks a free one)')
    .action(run(async () => (await import('./commands/serve.js')).serveCommand));

  sourceOptions(
    program
      .command('mcp')
      .summary('serve the tools and investigate over MCP (stdio)')
      .description(
        'serve the read-only tools, investigate (zero tokens), past investigations and the runbooks over MCP on stdio, for Claude Desktop, Cursor or your own agent (holmes serve also serves MCP at /mcp)',
      ),
  ).action(run(async () => (await import('./commands/mcp.js')).mcpCommand));

  const lab = program
    .command('lab')
    .description('make frozen incidents (scenarios) live: real Prometheus + Kubernetes API');
  lab
    .command('up')
    .description("start one scenario's lab; stay up until Ctrl-C")
    .argument('<dir>', 'scenario folder (holds scenario.yaml)')
    .option('--once', 'print the endpoints and stop (for scripts)')
    .action(
      run(async () => {
        const { labUp } = await import('./commands/lab-up.js');
        return (context: CommandContext, dir: string, options: { once?: boolean }) => labUp(context, dir, options);
      }),
    );
  lab
    .command('check')
    .description('validate a scenario or a folder of scenarios')
    .argument('<dir>', 'a scenario folder or a folder of them')
    .action(run(async () => (await import('./commands/lab-check.js')).labCheck));

  const runbooks = program.command('runbooks').description('the runbooks: how each cause is recognised and fixed');
  runbooks
    .command('check')
    .argument('[dirs...]', 'runbook folders (default: the built-in ones and runbooks.directories)')
    .description('lint runbooks against the tools, with file and line')
    .action(run(async () => (await import('./commands/runbooks.js')).runbooksCheck));
  runbooks
    .command('test')
    .argument('[dirs...]', 'runbook folders (default: the built-in ones and runbooks.directories)')
    .description("run each check's examples, without Prometheus")
    .action(run(async () => (await import('./commands/runbooks.js')).runbooksTest));

  const toolsets = program.command('toolsets').description('the read-only tools Holmes investigates with');
  sourceOptions(toolsets.command('list').description('list toolsets: enabled, disabled or failed')).action(
    run(async () => (await import('./commands/toolsets.js')).toolsetsList),
  );
  sourceOptions(toolsets.command('run').description('run one tool, e.g. gpu/dcgm/gpu_health'))
    .argument('<tool>', 'tool name, or toolset-id/tool')
    .option('-p, --param <key=value>', 'a tool parameter (repeatable)', (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .addHelpText(
      'after',
      '\nExample:\n  holmes toolsets run gpu/dcgm/gpu_health --param node=gpu-node-1 --scenario evals/scenarios/<incident>',
    )
    .action(run(async () => (await import('./commands/toolsets.js')).toolsetsRun));

  sourceOptions(program.command('doctor').description('what Holmes can and cannot see on this cluster')).action(
    run(async () => (await import('./commands/doctor.js')).doctor),
  );

  const store = program.command('store').description('the store: SQLite, or PostgreSQL shared by several replicas');
  store
    .command('migrate')
    .description('apply pending schema migrations (serve does too)')
    .action(run(async () => (await import('./commands/store.js')).storeMigrate));
  store
    .command('check')
    .description('is the store reachable and at this schema version')
    .action(run(async () => (await import('./commands/store.js')).storeCheck));

  const config = program.command('config').description('inspect the configuration');
  config
    .command('show')
    .description('print the effective config, secrets redacted')
    .action(run(async () => (await import('./commands/config-show.js')).configShow));

  return program;
}
