import { createServer, type Server } from 'node:http';
import { providerFixture } from './provider-fixtures.js';

export interface LoopbackModelServer {
  /** Base URL for an `openai` model entry, e.g. `http://127.0.0.1:PORT/v1`. */
  url: string;
  /** Request bodies received, in order. */
  bodies: Array<{ messages: Array<{ role: string; content: string | null }> }>;
  close(): Promise<void>;
}

/**
 * An OpenAI-compatible server on loopback that plays recorded replies in turn; `repeatLast` keeps
 * answering with the last one once the script is used up (otherwise it answers 500).
 */
export async function startLoopbackModelServer(
  fixtures: string[],
  options: { repeatLast?: boolean } = {},
): Promise<LoopbackModelServer> {
  const replies = fixtures.map(providerFixture);
  const last = replies.at(-1);
  const bodies: LoopbackModelServer['bodies'] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      bodies.push(JSON.parse(body) as LoopbackModelServer['bodies'][number]);
      const reply = replies.shift() ?? (options.repeatLast ? last : undefined);
      response.writeHead(reply ? reply.status : 500, { 'content-type': 'application/json' });
      response.end(JSON.stringify(reply ? reply.body : { error: { message: 'script exhausted' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
