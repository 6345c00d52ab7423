import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** `holmes --help` wall time from the built CLI (target ≤ 0.5 s): heavy modules must load lazily. */
export async function run(): Promise<void> {
  const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
  const times: number[] = [];
  for (let index = 0; index < 7; index += 1) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, [main, '--help'], { stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  process.stdout.write(`holmes --help: median ${median.toFixed(0)} ms over ${times.length} runs (target ≤ 500 ms)\n`);
}
