type Cleanup = () => Promise<void> | void;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof SIGNALS)[number];

// Past this, a signal ends the process even if a cleanup hangs: Ctrl-C must always work.
const CLEANUP_GRACE_MS = 10_000;

const cleanups = new Set<Cleanup>();
let installed = false;
let stopping = false;

/**
 * Runs `cleanup` (e.g. `() => lab.close()`) before this process ends on SIGINT, SIGTERM or
 * SIGHUP, then lets the signal end the process as it would have (the same exit status), unless
 * another listener for that signal has taken over shutdown. On a crash (uncaught exception or
 * unhandled rejection) or an explicit exit, only the synchronous start of each cleanup can run
 * (LabPrometheus.close sends SIGTERM there); the lab's watchdog removes what is left, as it does
 * when this process is killed with SIGKILL. Returns a function that unregisters `cleanup`.
 */
export function registerCleanup(cleanup: Cleanup): () => void {
  install();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('uncaughtExceptionMonitor', startAll);
  process.on('exit', startAll);
}

function uninstall(): void {
  installed = false;
  for (const signal of SIGNALS) process.off(signal, onSignal);
  process.off('uncaughtExceptionMonitor', startAll);
  process.off('exit', startAll);
}

function startAll(): Promise<unknown> {
  const running = [...cleanups].map(async (cleanup) => cleanup());
  cleanups.clear();
  return Promise.allSettled(running);
}

function onSignal(signal: StopSignal): void {
  if (stopping) {
    // A second Ctrl-C while cleaning up: stop waiting.
    reraise(signal);
    return;
  }
  stopping = true;
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLEANUP_GRACE_MS);
  });
  void Promise.race([startAll(), grace]).then(() => {
    clearTimeout(timer);
    stopping = false;
    reraise(signal);
  });
}

function reraise(signal: StopSignal): void {
  uninstall();
  // With no listener left, the default action ends the process with the signal's own status.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
