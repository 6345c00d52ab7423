import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { constants } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgram } from '../../src/cli/program.js';
import { collect, createSandbox, FIXTURES, hasStack, ROOT, runCli, spawnCli, type Sandbox } from './run-cli.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Every command one can run, with its full name (`lab up`), as the program defines them. */
function leafCommands(command: Command, prefix: string[] = []): Array<{ name: string; description: string }> {
  return command.commands.flatMap((child) => {
    const name = [...prefix, child.name()];
    // The list shows a command's summary, or its description when it has none.
    const description = child.summary() || child.description();
    return child.commands.length > 0 ? leafCommands(child, name) : [{ name: name.join(' '), description }];
  });
}

let sandbox: Sandbox;

describe('holmes (src/cli/main.ts)', () => {
  beforeAll(async () => {
    sandbox = await createSandbox();
  });
  afterAll(async () => {
    await sandbox?.remove();
  });

  it('runs as the package bin from the build, as `npx holmes` does on a fresh clone', async () => {
    // npm marks installed packages' bins executable, not the project's own: the build must.
    const bin = join(ROOT, 'dist/cli/main.js');
    const { stdout } = await promisify(execFile)(bin, ['--version']);
    expect(stdout.trim()).toBe(VERSION);
  });

  it('lists every command with a one-line description when run with --help', async () => {
    const result = await runCli(sandbox, ['--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const section = result.stdout.split('\nCommands:\n')[1] ?? '';
    const lines = section.trimEnd().split('\n');
    // Each line is `  TERM  DESCRIPTION`: no description wraps onto a line of its own.
    const rows = lines.map((line) => /^ {2}(\S.*?) {2,}(\S.*)$/.exec(line));
    expect(rows.every(Boolean), section).toBe(true);
    const listed = new Map(rows.map((row) => [row![1]!.split(/ [[<]/)[0]!, row![2]!]));
    const commands = leafCommands(createProgram(VERSION));
    expect(commands.map((command) => command.name)).toEqual(
      expect.arrayContaining(['demo', 'lab up', 'lab check', 'toolsets list', 'toolsets run', 'config show']),
    );
    for (const command of commands) expect(listed.get(command.name), command.name).toBe(command.description);
    expect(listed.get('help')).toBe('display help for command');
  });

  it("prints package.json's version when run with --version or -V", async () => {
    for (const flag of ['--version', '-V']) {
      const result = await runCli(sandbox, [flag]);
      expect(result).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    }
  });

  it.each([
    ['an unknown global flag', ['--no-such-flag'], "unknown option '--no-such-flag'"],
    [
      'an unknown flag of a subcommand',
      ['lab', 'up', join(FIXTURES, 'lab-shared-gpu'), '--bogus'],
      "unknown option '--bogus'",
    ],
    ['a missing argument', ['lab', 'check'], "missing required argument 'dir'"],
    ['a value outside the choices', ['--log-level', 'loud', 'config', 'show'], "argument 'loud' is invalid"],
    ['an unknown command', ['lab', 'down'], "unknown command 'down'"],
  ])('exits 2 with one message and no stack when given %s', async (_case, args, message) => {
    const result = await runCli(sandbox, args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
    expect(hasStack(result.stderr)).toBe(false);
  });

  it('exits 2 naming the key path, file and line when the config file has an unknown key', async () => {
    const file = await sandbox.write(
      'unknown-key.yaml',
      ['prometheus:', '  url: http://127.0.0.1:9090', 'kubernetes:', '  context: prod', '  contxt: prod-eu', ''].join(
        '\n',
      ),
    );
    const result = await runCli(sandbox, ['--config', file, 'config', 'show']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${file}:5: kubernetes.contxt: unknown key contxt`);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('error:'))).toHaveLength(1);
    expect(hasStack(result.stderr)).toBe(false);
  });

  it('exits 2 naming the path when the config file given does not exist', async () => {
    const result = await runCli(sandbox, ['config', 'show'], {
      env: { HOLMES_CONFIG: join(sandbox.dir, 'missing.yaml') },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Config file ${join(sandbox.dir, 'missing.yaml')} does not exist.`);
    expect(hasStack(result.stderr)).toBe(false);
  });

  it('writes logs to stderr as JSON lines, apart from the results on stdout, when stderr is not a TTY', async () => {
    const result = await runCli(sandbox, ['config', 'show'], { env: { HOLMES_NO_SUCH_SETTING: '1' } });
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('# effective configuration')).toBe(true);
    const lines = result.stderr.trim().split('\n');
    const records = lines.map((line) => JSON.parse(line) as { level: number; msg: string; time: number });
    expect(records).toEqual([
      expect.objectContaining({
        level: 40,
        msg: expect.stringContaining('Ignoring environment variable HOLMES_NO_SUCH_SETTING'),
      }),
    ]);
    expect(records[0]?.time).toEqual(expect.any(Number));
  });

  it('ends on SIGINT when the running command does not wait for interruption', async () => {
    // A "Prometheus" that accepts connections and never answers: the command waits on it.
    let connected!: () => void;
    const connection = new Promise<void>((resolve) => (connected = resolve));
    const server: Server = createServer(() => connected());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const child = spawnCli(sandbox, ['toolsets', 'list', '--prometheus-url', `http://127.0.0.1:${port}`], {
      env: { HOLMES_PROMETHEUS_TIMEOUT_MS: '600000', HOLMES_TOOLSETS_TIMEOUT_MS: '600000' },
    });
    const exited = collect(child);
    try {
      const first = await Promise.race([
        connection.then(() => 'connected'),
        exited.then((result) => `exited: ${JSON.stringify(result)}`),
      ]);
      expect(first).toBe('connected');
      child.kill('SIGINT');
      // Before the fix a listener for every command swallowed the signal until the request timed out.
      const result = await exited;
      expect(result.signal === 'SIGINT' || result.code === 128 + constants.signals.SIGINT, JSON.stringify(result)).toBe(
        true,
      );
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      server.close();
    }
  });

  it('drops log lines below the chosen level when --log-level is given', async () => {
    const result = await runCli(sandbox, ['--log-level', 'error', 'config', 'show'], {
      env: { HOLMES_NO_SUCH_SETTING: '1' },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });
});
