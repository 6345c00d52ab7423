import { analyseChange, type Point } from './analyse-change.js';

/** One measure of the gateway's clients: points per client (ours), and the other teams' total. */
export interface ClientMeasure {
  ours: Map<string, Point[]>;
  others: Point[];
}

export interface ClientGrowthInput {
  /** Requests per minute. */
  requests: ClientMeasure;
  /** Tokens (input + output) per minute; undefined when the gateway does not count them. */
  tokens?: ClientMeasure | undefined;
  /** Input (prompt) tokens per minute. */
  prompt?: ClientMeasure | undefined;
  /** Spend in USD per hour. */
  spend?: ClientMeasure | undefined;
  alertStartMs: number;
  nowMs: number;
}

/** One client (API key, and its end user where tracked) of the alert's team, before and since the onset. */
export interface ClientGrowth {
  subject: string;
  requestsBefore: number | null;
  requestsAfter: number | null;
  requestsRatio: number | null;
  /** Where this client's own request rate stepped, and its level in the last minutes. */
  requestsOnset: string | null;
  requestsLast: number | null;
  /** Tokens per request. */
  sizeBefore: number | null;
  sizeAfter: number | null;
  sizeRatio: number | null;
  /** Prompt (input) tokens per request. */
  promptBefore: number | null;
  promptAfter: number | null;
  promptRatio: number | null;
  /** Spend per hour. */
  spendBefore: number | null;
  spendAfter: number | null;
  /** Growth of the measure that decides (spend per hour, else tokens or requests per minute). */
  increase: number;
  /** This client's part of its team's increase (0-1); null when the team's did not grow. */
  share: number | null;
}

export interface GroupGrowth {
  count: number;
  before: number | null;
  after: number | null;
  ratio: number | null;
  increase: number | null;
  requestsRatio: number | null;
  sizeRatio: number | null;
}

export interface ClientGrowthData {
  /** What decides who drives the increase: priced spend, else tokens, else requests. */
  measure: 'spend' | 'tokens' | 'requests';
  /** When the team's measure changed (null: no clear change; then the windows end at the alert). */
  onset: string | null;
  ours: GroupGrowth;
  others: GroupGrowth;
  /** The client with the largest increase, when the team's measure grew. */
  driver: ClientGrowth | null;
  clients: ClientGrowth[];
  /** The largest request growth and the largest growth of tokens per request among the team's clients. */
  busiestRequestsRatio: number | null;
  biggestSizeRatio: number | null;
}

interface Window {
  fromMs: number;
  toMs: number;
}

const ratio = (after: number | null, before: number | null) =>
  after !== null && before !== null && before > 0 ? after / before : null;
const per = (amount: number | null, count: number | null) =>
  amount !== null && count !== null && count > 0 ? amount / count : null;

function mean(points: Point[] | undefined, window: Window): number | null {
  const values = (points ?? []).filter((point) => point.t >= window.fromMs && point.t < window.toMs);
  return values.length === 0 ? null : values.reduce((sum, point) => sum + point.v, 0) / values.length;
}

function total(series: Iterable<Point[]>): Point[] {
  const byTime = new Map<number, number>();
  for (const points of series) for (const point of points) byTime.set(point.t, (byTime.get(point.t) ?? 0) + point.v);
  return [...byTime.entries()].sort(([left], [right]) => left - right).map(([t, v]) => ({ t, v }));
}

const maxOf = (values: Array<number | null>) => {
  const known = values.filter((value): value is number => value !== null);
  return known.length > 0 ? Math.max(...known) : null;
};

/**
 * Who of a team's gateway clients drives its increase, and how: more requests (a loop) or bigger
 * ones (prompt inflation). The onset is the team's, found in its total, so every client and the
 * other teams are measured over the same windows and the shares add up.
 */
export function measureClientGrowth(input: ClientGrowthInput): ClientGrowthData {
  const priced = [...(input.spend?.ours.values() ?? [])].some((points) => points.some((point) => point.v > 0));
  const measure = priced ? 'spend' : input.tokens && input.tokens.ours.size > 0 ? 'tokens' : 'requests';
  const deciding = (measure === 'spend' ? input.spend : measure === 'tokens' ? input.tokens : input.requests)!;
  const options = { alertStartMs: input.alertStartMs, nowMs: input.nowMs };
  const change = analyseChange(total(deciding.ours.values()), options);
  const before: Window = change.baseline;
  const after: Window = { fromMs: change.recent.fromMs, toMs: input.nowMs + 1 };
  const level = (measureOf: ClientMeasure | undefined, subject: string, window: Window) =>
    mean(measureOf?.ours.get(subject), window);

  const subjects = new Set([...input.requests.ours.keys(), ...deciding.ours.keys()]);
  const clients = [...subjects].map((subject): ClientGrowth => {
    const requestsBefore = level(input.requests, subject, before);
    const requestsAfter = level(input.requests, subject, after);
    const own = analyseChange(input.requests.ours.get(subject) ?? [], options);
    const sizeBefore = per(level(input.tokens, subject, before), requestsBefore);
    const sizeAfter = per(level(input.tokens, subject, after), requestsAfter);
    const promptBefore = per(level(input.prompt, subject, before), requestsBefore);
    const promptAfter = per(level(input.prompt, subject, after), requestsAfter);
    return {
      subject,
      requestsBefore,
      requestsAfter,
      requestsRatio: ratio(requestsAfter, requestsBefore),
      requestsOnset: own.onsetMs === null ? null : new Date(own.onsetMs).toISOString(),
      requestsLast: own.last,
      sizeBefore,
      sizeAfter,
      sizeRatio: ratio(sizeAfter, sizeBefore),
      promptBefore,
      promptAfter,
      promptRatio: ratio(promptAfter, promptBefore),
      spendBefore: level(input.spend, subject, before),
      spendAfter: level(input.spend, subject, after),
      increase: (level(deciding, subject, after) ?? 0) - (level(deciding, subject, before) ?? 0),
      share: null,
    };
  });
  const teamIncrease = clients.reduce((sum, client) => sum + client.increase, 0);
  for (const client of clients) client.share = teamIncrease > 0 ? client.increase / teamIncrease : null;
  clients.sort((left, right) => right.increase - left.increase);

  const group = (decidingPoints: Point[], requests: Point[], tokens: Point[] | undefined, count: number) => {
    const [b, a] = [mean(decidingPoints, before), mean(decidingPoints, after)];
    const [rb, ra] = [mean(requests, before), mean(requests, after)];
    return {
      count,
      before: b,
      after: a,
      ratio: ratio(a, b),
      increase: a !== null && b !== null ? a - b : null,
      requestsRatio: ratio(ra, rb),
      sizeRatio: ratio(per(mean(tokens, after), ra), per(mean(tokens, before), rb)),
    };
  };
  return {
    measure,
    onset: change.onsetMs === null ? null : new Date(change.onsetMs).toISOString(),
    ours: group(
      total(deciding.ours.values()),
      total(input.requests.ours.values()),
      input.tokens ? total(input.tokens.ours.values()) : undefined,
      clients.length,
    ),
    others: group(deciding.others, input.requests.others, input.tokens?.others, deciding.others.length > 0 ? 1 : 0),
    driver: clients[0] && teamIncrease > 0 && clients[0].increase > 0 ? clients[0] : null,
    clients,
    busiestRequestsRatio: maxOf(
      clients.filter((client) => (client.requestsAfter ?? 0) > 0).map((c) => c.requestsRatio),
    ),
    biggestSizeRatio: maxOf(clients.map((client) => client.sizeRatio)),
  };
}
