// The agent's public surface: build it once, then investigate alerts and answer questions.
export { createAgent, type Agent, type AgentOptions, type RunOptions } from './create-agent.js';
export { answerText } from './agent-result.js';
export { admit, resolveTeam, type Admission } from './admission.js';
export { createBudgetGuard, type BudgetDecision, type BudgetGuard, type Caps, type Spent } from './budget-guard.js';
export { createFailoverCaller, type Attempt, type FailoverCaller, type FailoverResult } from './call-with-failover.js';
export { classifyModelError, type ModelErrorKind } from './classify-model-error.js';
export { createChatModel, type ChatModelFactory } from './create-chat-model.js';
export { finalAnswerSchema, validateAnswer, type FinalAnswer, type ResolvedAnswer } from './final-answer.js';
export { CATALOG, describePrice, lookupModel, priceUsage, type ModelPrice } from './model-catalog.js';
export { modelFacts, type ModelFacts } from './model-facts.js';
export { createModelRegistry, describeModels, type ModelEntry, type ModelRegistry } from './model-registry.js';
export { noModelError } from './no-model-error.js';
export { renderAgentResult, renderAnswer } from './render-agent-result.js';
export { renderRecord } from './render-record.js';
export { runAgent, type AgentEvent, type AgentRequest } from './run-agent.js';
