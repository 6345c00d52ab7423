import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** kubectl on PATH, if any: tests that need it are skipped (and say so) without it. */
export const KUBECTL = (process.env.PATH ?? '')
  .split(delimiter)
  .map((directory) => join(directory, 'kubectl'))
  .find((candidate) => existsSync(candidate));

export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs kubectl against the lab only: HOME and the discovery cache in `home`, and no kubeconfig
 * but `kubeconfig` (a path that does not exist when none is meant, so `--server` decides).
 */
export function runKubectl(home: string, kubeconfig: string, args: string[]): Promise<KubectlRun> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL ?? 'kubectl',
      ['--cache-dir', join(home, 'cache'), ...args],
      { env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig }, timeout: 30_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
