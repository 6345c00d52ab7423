import { END, START, StateGraph } from '@langchain/langgraph';
import { messageText } from './count-message-tokens.js';
import { AgentState, type AgentStateUpdate } from './agent-state.js';
import { compactNode } from './compact-node.js';
import type { LoopContext } from './loop-context.js';
import { modelNode, routeAfterModel } from './model-node.js';
import { toolsNode } from './tools-node.js';

/**
 * The investigation loop as an explicit graph:
 *
 *   evidence → compact → model ─┬─ tools → compact → model …
 *                               ├─ (reminder / invalid answer) → compact → model …
 *                               └─ answer, budget refusal, failure → end
 */
export function buildAgentGraph(context: LoopContext) {
  const evidence = async (): Promise<AgentStateUpdate> => {
    const started = performance.now();
    const starting = await context.start();
    for (const [id, entry] of starting.sources) context.sources.set(id, entry);
    context.step(
      'prompt',
      {
        messages: starting.messages.map((message) => ({ role: message.getType(), content: messageText(message) })),
        tools: starting.tools,
        evidenceIds: [...starting.sources.keys()],
        firstLook: starting.firstLook.map((result) => ({
          tool: result.tool,
          params: result.params,
          status: result.status,
          requests: result.requests,
        })),
      },
      performance.now() - started,
    );
    return { messages: starting.messages, offered: starting.tools };
  };
  return new StateGraph(AgentState)
    .addNode('evidence', evidence)
    .addNode('compact', compactNode(context))
    .addNode('model', modelNode(context))
    .addNode('tools', toolsNode(context))
    .addEdge(START, 'evidence')
    .addEdge('evidence', 'compact')
    .addConditionalEdges('compact', (state) => (state.status === 'running' ? 'model' : END), ['model', END])
    .addConditionalEdges('model', routeAfterModel, ['tools', 'compact', END])
    .addEdge('tools', 'compact')
    .compile();
}
