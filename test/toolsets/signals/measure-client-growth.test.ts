import { describe, expect, it } from 'vitest';
import type { Point } from '../../../src/toolsets/signals/analyse-change.js';
import { measureClientGrowth, type ClientMeasure } from '../../../src/toolsets/signals/measure-client-growth.js';

const NOW = Date.parse('2026-12-02T17:00:00Z');
const ALERT = NOW - 20 * 60_000;
const ONSET = NOW - 45 * 60_000;

/** A series every 30 s over the last 3 h, at `before` until the onset and `after` from it. */
function step(before: number, after: number, onsetMs = ONSET): Point[] {
  const points: Point[] = [];
  for (let t = NOW - 180 * 60_000; t <= NOW; t += 30_000) points.push({ t, v: t < onsetMs ? before : after });
  return points;
}

const measure = (ours: Record<string, Point[]>, others: Point[] = []): ClientMeasure => ({
  ours: new Map(Object.entries(ours)),
  others,
});

describe('measureClientGrowth', () => {
  it('names the looping client when one key sends many more requests of the same size', () => {
    const data = measureClientGrowth({
      requests: measure({ 'cc-ticket-triage': step(20, 340), 'cc-summaries': step(10, 10) }, step(100, 105)),
      tokens: measure({ 'cc-ticket-triage': step(41_000, 697_000), 'cc-summaries': step(9_000, 9_000) }),
      spend: measure({ 'cc-ticket-triage': step(4, 68), 'cc-summaries': step(1, 1) }, step(30, 31)),
      alertStartMs: ALERT,
      nowMs: NOW,
    });
    expect(data.measure).toBe('spend');
    expect(data.onset).toBe(new Date(ONSET).toISOString());
    expect(data.driver?.subject).toBe('cc-ticket-triage');
    expect(data.driver?.requestsRatio).toBeCloseTo(17, 5);
    expect(data.driver?.sizeRatio).toBeCloseTo(1, 5);
    expect(data.driver?.share).toBeCloseTo(1, 5);
    expect(data.driver?.requestsOnset).toBe(new Date(ONSET).toISOString());
    expect(data.busiestRequestsRatio).toBeCloseTo(17, 5);
    expect(data.others.ratio).toBeCloseTo(31 / 30, 5);
  });

  it('decides by tokens when the models are unpriced, and reads bigger prompts as size', () => {
    const data = measureClientGrowth({
      requests: measure({ 'kb-answer-service': step(100, 98), 'legal-search': step(3, 4) }),
      tokens: measure({ 'kb-answer-service': step(470_000, 2_740_000), 'legal-search': step(9_000, 12_000) }),
      prompt: measure({ 'kb-answer-service': step(430_000, 2_700_000), 'legal-search': step(8_000, 11_000) }),
      spend: measure({ 'kb-answer-service': step(0, 0), 'legal-search': step(0, 0) }),
      alertStartMs: ALERT,
      nowMs: NOW,
    });
    expect(data.measure).toBe('tokens');
    expect(data.driver?.subject).toBe('kb-answer-service');
    expect(data.driver?.sizeRatio).toBeGreaterThan(5.5);
    expect(data.driver?.promptRatio).toBeGreaterThan(6);
    expect(data.driver?.requestsRatio).toBeCloseTo(0.98, 5);
    expect(data.driver?.share).toBeGreaterThan(0.99);
    expect(data.biggestSizeRatio).toBeGreaterThan(5.5);
  });

  it('has no driver when the team did not grow, and no ratio for a key without a baseline', () => {
    const data = measureClientGrowth({
      requests: measure({ steady: step(50, 50), 'new-bot': step(30, 30).filter((point) => point.t >= ONSET) }),
      alertStartMs: ALERT,
      nowMs: NOW,
    });
    expect(data.measure).toBe('requests');
    const fresh = data.clients.find((client) => client.subject === 'new-bot');
    expect(fresh?.requestsRatio).toBeNull();
    expect(fresh?.sizeRatio).toBeNull();
    // A key born at the onset adds requests: it drives the increase, with no baseline to compare.
    expect(data.driver?.subject).toBe('new-bot');
    const flat = measureClientGrowth({
      requests: measure({ steady: step(50, 50) }),
      alertStartMs: ALERT,
      nowMs: NOW,
    });
    expect(flat.driver).toBeNull();
    expect(flat.ours.increase).toBe(0);
  });
});
