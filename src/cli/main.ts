#!/usr/bin/env node
import { CommanderError } from 'commander';
import { formatIssue, HolmesError } from '../core/errors.js';
import { holmesVersion } from '../core/holmes-version.js';
import { createProgram } from './program.js';

const EXIT_USER_ERROR = 2;
const EXIT_BUG = 1;

/**
 * Prints an error once: user errors without a stack, bugs with one and a way to report; secrets
 * the command resolved (an API key echoed in a provider's message) are redacted.
 */
async function report(error: unknown): Promise<number> {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USER_ERROR;
  // Loaded here, not at start: `holmes --help` loads nothing beyond the CLI.
  const { redactSecrets } = await import('../core/redact-secrets.js');
  if (HolmesError.isInstance(error) && error.isUserError) {
    const lines = [`error: ${error.message}`];
    // Some messages already list their issues (a scenario's); print each problem once.
    for (const issue of error.issues) {
      const line = formatIssue(issue);
      if (!error.message.includes(line)) lines.push(`  - ${line}`);
    }
    if (error.fix) lines.push(`fix: ${error.fix}`);
    process.stderr.write(redactSecrets(`${lines.join('\n')}\n`));
    return EXIT_USER_ERROR;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(
    redactSecrets(`holmes crashed (a bug): ${stack}\nPlease report it with the command you ran and this output.\n`),
  );
  return EXIT_BUG;
}

async function main(argv: string[]): Promise<number> {
  // createProgram makes commander throw (exitOverride) rather than exit, so codes are decided here.
  const program = createProgram(holmesVersion());
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    return report(error);
  }
}

// The one place that exits (after output is flushed): commands return or throw.
/** Waits until everything written to stdout and stderr is handed to the OS: a pipe is asynchronous, and exiting earlier cuts long JSON. */
function flushed(): Promise<void> {
  const drain = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
  return Promise.all([drain(process.stdout), drain(process.stderr)]).then(() => undefined);
}

main(process.argv)
  .catch((error: unknown) => report(error))
  .then(async (code) => {
    await flushed();
    process.exit(code);
  });
