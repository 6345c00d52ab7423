import { hostname } from 'node:os';

/**
 * Whether the process that wrote a row still runs. Only a process on this host can be checked;
 * one on another host (a shared volume) is presumed alive.
 */
export function processAlive(pid: number, host: string): boolean {
  if (host !== hostname()) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
