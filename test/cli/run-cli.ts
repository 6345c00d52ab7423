/**
 * Runs the real CLI (`src/cli/main.ts` through tsx, so no build is needed) in a sandbox: its own
 * working directory, HOME and TMPDIR, and no HOLMES_* variables from the developer's shell.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = join(ROOT, 'test/fixtures/lab');
const MAIN = join(ROOT, 'src/cli/main.ts');
// An absolute URL: `--import tsx` would be resolved from the sandbox, which has no node_modules.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  /** Working directory and HOME: holds no holmes.yaml unless a test writes one. */
  dir: string;
  /** TMPDIR of the CLI: where the lab puts its temp dirs. */
  tmp: string;
  env: NodeJS.ProcessEnv;
  /** Writes `text` to `name` in the sandbox and returns its path. */
  write(name: string, text: string): Promise<string>;
  remove(): Promise<void>;
}

export async function createSandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'holmes-cli-test-'));
  const tmp = await mkdtemp(join(dir, 'tmp-'));
  return {
    dir,
    tmp,
    env: { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: join(dir, '.config'), TMPDIR: tmp },
    async write(name, text) {
      const file = join(dir, name);
      await writeFile(file, text);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true, maxRetries: 3 }),
  };
}

export interface SpawnCliOptions {
  /** Added to the sandbox's environment. */
  env?: NodeJS.ProcessEnv;
  /** Its own process group, as a shell gives a foreground job (for Ctrl-C to the group). */
  detached?: boolean;
}

/** The command line that runs a TypeScript file through tsx, for spawners other than ours (an MCP client's). */
export function tsxCommand(file: string, args: string[] = []): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', TSX, file, ...args] };
}

/** The command line of the CLI itself. */
export function cliCommand(args: string[]): { command: string; args: string[] } {
  return tsxCommand(MAIN, args);
}

export function spawnCli(sandbox: Sandbox, args: string[], options: SpawnCliOptions = {}): ChildProcess {
  const cli = cliCommand(args);
  return spawn(cli.command, cli.args, {
    cwd: sandbox.dir,
    env: { ...sandbox.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
}

/** Resolves when the process has exited and its output is read to the end. */
export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function runCli(sandbox: Sandbox, args: string[], options: SpawnCliOptions = {}): Promise<CliResult> {
  return collect(spawnCli(sandbox, args, options));
}

/** Resolves with the first JSON document the process prints; rejects if it exits before. */
export function firstJson<T>(child: ChildProcess): Promise<T> {
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      try {
        resolve(JSON.parse(stdout) as T);
      } catch {
        // Not complete yet.
      }
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`exited (${code ?? signal}) before printing JSON: ${stderr}`)),
    );
  });
}

/** Pids of live processes whose command line mentions `path` (zombies have none). */
export function processesMentioning(path: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let commandLine: string;
    try {
      commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue; // Ended while we looked.
    }
    if (commandLine.split('\0').some((argument) => argument.includes(path))) pids.push(Number(entry));
  }
  return pids;
}

/** What the lab left in a TMPDIR: its dirs are named holmes-lab-… (tsx keeps a cache there too). */
export function labDirsIn(tmp: string): string[] {
  return readdirSync(tmp).filter((name) => name.startsWith('holmes-'));
}

/** True when `text` holds no JavaScript stack trace. */
export function hasStack(text: string): boolean {
  return /^\s+at .+[:(]\d+/m.test(text);
}
