import { readFileSync } from 'node:fs';
import nock from 'nock';

export interface ProviderFixture {
  source: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export function providerFixture(name: string): ProviderFixture {
  return JSON.parse(
    readFileSync(new URL(`../fixtures/providers/${name}.json`, import.meta.url), 'utf8'),
  ) as ProviderFixture;
}

export interface SeenRequest {
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/**
 * Replays a recorded payload for one POST to `origin + path`, recording what was sent.
 * `seen` receives each request's headers and JSON body.
 */
export function replay(
  origin: string,
  path: string,
  name: string,
  seen: SeenRequest[] = [],
  options: { delayMs?: number } = {},
): nock.Scope {
  const fixture = providerFixture(name);
  const interceptor = nock(origin).post(path);
  const withDelay = options.delayMs ? interceptor.delay(options.delayMs) : interceptor;
  return withDelay.reply(function reply(_uri, body) {
    seen.push({ headers: { ...this.req.headers }, body: body as Record<string, unknown> });
    return [fixture.status, fixture.body as nock.Body, fixture.headers];
  });
}
