import { Command, Option } from 'commander';
import type { CommandContext, GlobalOptions } from './command-context.js';

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

export function createProgram(version: string): Command {
  const program = new Command('holmes')
    .description('Investigates alerts on Kubernetes, GPU and LLM workloads: read-only, evidence first, budgeted.')
    .version(version, '-V, --version', 'print the version')
    .option('-c, --config <file>', 'config file (default: ./holmes.yaml, then ~/.config/holmes/config.yaml)')
    .option('--json', 'print results as JSON on stdout')
    .addOption(
      new Option('--log-level <level>', 'log level on stderr').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    )
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('demo')
    .description('start the lab for an example GPU incident and show what Holmes sees')
    .argument('[scenario]', 'scenario folder', 'evals/scenarios/chat-api-p99-shared-gpu')
    .action(run(async () => (await import('./commands/demo.js')).demo));

  const lab = program.command('lab').description('make frozen incidents (scenarios) live: real Prometheus + Kubernetes API');
  lab
    .command('up')
    .description('start the lab for one scenario and keep it up until interrupted')
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
    .description('validate one scenario or a folder of scenarios against the format')
    .argument('<dir>', 'a scenario folder or a folder of them')
    .action(run(async () => (await import('./commands/lab-check.js')).labCheck));

  const toolsets = program.command('toolsets').description('the read-only tools Holmes investigates with');
  sourceOptions(toolsets.command('list').description('list toolsets: enabled, disabled or failed (with the reason)')).action(run(async () => (await import('./commands/toolsets.js')).toolsetsList));
  sourceOptions(toolsets.command('run').description('run one tool, e.g. gpu/dcgm/gpu_health --param node=gpu-node-1'))
    .argument('<tool>', 'tool name, or toolset-id/tool')
    .option('-p, --param <key=value>', 'a tool parameter (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .action(run(async () => (await import('./commands/toolsets.js')).toolsetsRun));

  const config = program.command('config').description('inspect the configuration');
  config
    .command('show')
    .description('print the effective configuration with secrets redacted')
    .action(run(async () => (await import('./commands/config-show.js')).configShow));

  return program;
}
