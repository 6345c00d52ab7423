import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalCommand } from '../../../src/cli/commands/eval.js';
import { investigateCommand } from '../../../src/cli/commands/investigate.js';
import { configSchema, type HolmesConfig } from '../../../src/config/config-schema.js';
import { startLoopbackModelServer, type LoopbackModelServer } from '../../agent/loopback-model-server.js';
import { ROOT } from '../run-cli.js';
import { captureContext } from './capture-context.js';

const SCENARIOS = join(ROOT, 'test/fixtures/scenarios');

/** A command context whose log lines (warnings included) are kept. */
function withLog(config: HolmesConfig) {
  let log = '';
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  return {
    context: { ...captureContext(config, { json: true }), logger: pino({ level: 'warn' }, stream) },
    log: () => log,
  };
}

let model: LoopbackModelServer;
let config: HolmesConfig;

describe('model warnings, with a model Holmes knows nothing about', () => {
  beforeAll(async () => {
    model = await startLoopbackModelServer(['openai-chat-ask-final-answer'], { repeatLast: true });
    config = configSchema.parse({
      storage: { path: ':memory:' },
      models: [{ provider: 'openai', model: 'llama3.1:8b', baseUrl: model.url }],
    });
  });
  afterAll(async () => {
    await model?.close();
  });

  it.each([
    [
      'investigate',
      (context: Parameters<typeof investigateCommand>[0]) =>
        investigateCommand(context, { scenario: join(SCENARIOS, 'gpu-noisy-neighbor-chat') }),
    ],
    [
      'eval --mode llm',
      (context: Parameters<typeof evalCommand>[0]) => evalCommand(context, { scenarios: SCENARIOS, mode: 'llm' }),
    ],
  ])('%s says once that the price counts as free and the window is assumed', async (_name, run) => {
    const { context, log } = withLog(config);
    await run(context);
    expect(log()).toContain('no known price, counted as free; USD caps do not limit it');
    expect(log()).toContain('unknown context window, assuming 8192 tokens');
    expect(log().split('no known price').length - 1).toBe(1);
  });
});
