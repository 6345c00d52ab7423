import { spawn } from 'node:child_process';

/** Keeps a temp dir and the process using it from outliving this process. */
export interface Watchdog {
  /** The process to kill if this one dies; `undefined` once it has exited by itself. */
  watch(pid: number | undefined): void;
  /** This process cleans up by itself: the watchdog ends without touching anything. */
  stop(): void;
}

// Reads pids from stdin until EOF, which comes when our end of the pipe closes: on close() as
// on SIGKILL or a crash of this process. Then it ends the last pid and removes the dir.
const SCRIPT = `alive() {
  kill -0 "$1" 2>/dev/null || return 1
  # An exited child of a dead parent waits as a zombie until init reaps it; it is done.
  stat=
  [ -r "/proc/$1/stat" ] && read -r stat < "/proc/$1/stat"
  case "$stat" in *") Z "*) return 1 ;; esac
}
pid=
while read -r line; do pid=$line; done
if [ -n "$pid" ]; then
  kill -TERM "$pid" 2>/dev/null
  n=0
  while alive "$pid" && [ "$n" -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
  alive "$pid" && kill -KILL "$pid" 2>/dev/null
fi
rm -rf -- "$1"`;

/**
 * Starts a tiny `sh` in its own session (so a terminal's Ctrl-C does not end it first) that
 * kills the watched process and removes `dir` when this process goes away by any means,
 * SIGKILL included: the kernel closes the pipe whatever happens. Signal handlers
 * (registerCleanup) cannot cover SIGKILL, and PR_SET_PDEATHSIG would kill the process but leave
 * the dir. Costs one idle `sh` per lab. If `sh` cannot start, the lab works without it.
 */
export function startWatchdog(dir: string): Watchdog {
  const child = spawn('/bin/sh', ['-c', SCRIPT, 'holmes-lab-watchdog', dir], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.on('error', () => undefined);
  child.stdin.on('error', () => undefined);
  child.unref();
  let stopped = false;
  return {
    watch(pid) {
      if (!stopped) child.stdin.write(`${pid ?? ''}\n`);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      // Kill before closing the pipe: closing it first would start the cleanup we don't want.
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      child.stdin.destroy();
    },
  };
}
