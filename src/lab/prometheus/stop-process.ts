import type { ChildProcess } from 'node:child_process';

/**
 * Sends SIGTERM, waits up to `graceMs` for the process to exit, then SIGKILL. The SIGTERM goes
 * out synchronously, so a caller that cannot wait (an `exit` handler) still stops the process.
 */
export async function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.pid === undefined || hasExited(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), graceMs);
  });
  const outcome = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (outcome === 'late' && !hasExited(child)) {
    child.kill('SIGKILL');
    await exited;
  }
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}
