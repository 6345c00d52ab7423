import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createSandbox, hasStack, runCli, type CliResult, type Sandbox } from '../run-cli.js';

let sandbox: Sandbox;
let config: string;
let busy: Server;
let busyPort: number;

/** A user error as the CLI must report it: exit 2, an `error:` line and a `fix:` line, no stack, nothing started. */
function expectUserError(result: CliResult, says: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(hasStack(result.stderr), result.stderr).toBe(false);
  expect(result.stderr).not.toContain('crashed');
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(2);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(says);
  expect(lines[1]).toMatch(/^fix: \S/);
  expect(result.stdout).toBe('');
}

describe.concurrent('holmes serve refuses bad input as a user error', () => {
  beforeAll(async () => {
    sandbox = await createSandbox();
    config = await sandbox.write(
      'holmes.yaml',
      stringify({ storage: { path: join(sandbox.dir, 'holmes.db') }, server: { port: 0, tokens: [{ env: 'T' }] } }),
    );
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => busy?.close(resolve));
    await sandbox?.remove();
  });

  const serve = (args: string[], configFile = config) =>
    runCli(sandbox, ['--config', configFile, 'serve', ...args], { env: { T: 'serve-errors-token' } });

  it.each([['99999'], ['abc'], ['-1']])('exits 2 with the fix when --port is %s', async (port) => {
    expectUserError(await serve(['--port', port]), new RegExp(`--port ${port.replace('.', '\\.')} is not a port`));
  });

  it('exits 2 naming the port when another process listens on it', async () => {
    expectUserError(
      await serve(['--port', String(busyPort)]),
      new RegExp(`Port ${busyPort} on 127.0.0.1 is already in use`),
    );
  });

  it('exits 2 when the listen address is not an address of this machine', async () => {
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): assigned to no machine.
    expectUserError(
      await serve(['--host', '192.0.2.1', '--port', '0']),
      /192\.0\.2\.1 is not an address of this machine/,
    );
  });

  it('exits 2 when --config names a directory', async () => {
    const dir = join(sandbox.dir, 'conf.d');
    await mkdir(dir, { recursive: true });
    expectUserError(await serve([], dir), /is a directory/);
  });

  it('exits 2 when the config is a YAML bomb, without expanding it', async () => {
    const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    const names = 'bcdefghi';
    [...names].forEach((name, index) => {
      const previous = index === 0 ? 'a' : names[index - 1]!;
      lines.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(', ')}]`);
    });
    const bomb = await sandbox.write('bomb.yaml', `${lines.join('\n')}\n`);
    expectUserError(await serve([], bomb), /billion laughs/);
  });

  it('exits 2 instead of serving when the token file holds only whitespace', async () => {
    const tokenFile = await sandbox.write('token', '  \n\t\n');
    const withFile = await sandbox.write(
      'file-token.yaml',
      stringify({
        storage: { path: join(sandbox.dir, 'file-token.db') },
        server: { port: 0, tokens: [{ file: tokenFile }] },
      }),
    );
    expectUserError(await serve([], withFile), /server\.tokens\[0\]: secret file .* is empty/);
  });
});
