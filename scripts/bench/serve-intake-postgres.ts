/**
 * `holmes serve` intake on PostgreSQL with three replicas, next to one replica on SQLite, under
 * the same load from this process: alerts persisted per second (closed loop over 32 connections,
 * round-robin over the replicas as a Service would) and the acknowledgement latency at a steady
 * 2,000 alerts/s. PostgreSQL is a throwaway cluster (initdb + pg_ctl) on loopback, on the same
 * machine as the replicas and the load: every figure here shares the same cores.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgresCluster, type PostgresCluster } from '../../test/fixtures/postgres-cluster.js';
import {
  blast,
  buildCli,
  CONNECTIONS,
  quantile,
  startServer,
  steady,
  stop,
  webhook,
  type BlastResult,
  type Server,
} from './lib/serve-load.js';

const REPLICAS = 3;
const INTAKE_ALERTS = 20_000;
const GROUPS = 50;
const STEADY_RATE = 2_000;
const STEADY_SECONDS = 5;

function alertOf(prefix: string) {
  return (index: number) =>
    webhook(`{}:{alertname="${prefix}${index % GROUPS}"}`, {
      alertname: `${prefix}${index % GROUPS}`,
      namespace: 'bench',
      pod: `${prefix.toLowerCase()}-${index}`,
    });
}

/** Warm-up, then the closed-loop intake and the steady rate; one line of figures. */
async function measure(label: string, urls: string[]): Promise<void> {
  await blast(urls, 1_000, alertOf('WarmUp'));
  const intake = await blast(urls, INTAKE_ALERTS, alertOf('Intake'));
  const paced = await steady(urls, STEADY_RATE, STEADY_RATE * STEADY_SECONDS, alertOf('Steady'));
  const refused = (result: BlastResult) => (result.failed ? `, ${result.failed} refused` : '');
  process.stdout.write(
    `${label}: intake ${(intake.accepted / intake.seconds).toFixed(0)} alerts/s (${intake.accepted} persisted over ${CONNECTIONS} connections${refused(intake)}; target ≥ 2000/s), ack p99 at that saturation ${quantile(intake.latenciesMs, 0.99).toFixed(1)} ms; at a steady ${STEADY_RATE}/s for ${STEADY_SECONDS} s: ack p50 ${quantile(paced.latenciesMs, 0.5).toFixed(1)} ms, p99 ${quantile(paced.latenciesMs, 0.99).toFixed(1)} ms (target ≤ 50 ms), max ${Math.max(...paced.latenciesMs).toFixed(1)} ms${refused(paced)}\n`,
  );
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'holmes-bench-pg-'));
  let cluster: PostgresCluster | undefined;
  const servers: Server[] = [];
  try {
    const cli = await buildCli(dir);
    process.stdout.write(`(${availableParallelism()} CPUs shared by the load, the replicas and PostgreSQL)\n`);
    const sqlite = await startServer(dir, cli, 'sqlite');
    servers.push(sqlite);
    await measure('1 replica on SQLite', [sqlite.url]);
    await stop(servers.pop());

    cluster = await startPostgresCluster();
    const url = await cluster.createDatabase();
    const storage = ['  postgres:', `    url: ${url}`, '    pool: { max: 10 }'];
    // One after the other: the first migrates, the others find the schema in place.
    for (let replica = 0; replica < REPLICAS; replica += 1)
      servers.push(await startServer(dir, cli, `replica-${replica}`, [], storage));
    await measure(
      `${REPLICAS} replicas on PostgreSQL`,
      servers.map((server) => server.url),
    );
  } finally {
    for (const server of servers) await stop(server);
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
