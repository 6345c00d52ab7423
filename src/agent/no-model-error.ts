import { HolmesError } from '../core/errors.js';

/** What `holmes ask` (and the eval in llm mode) says when no model is configured. */
export function noModelError(what = '`holmes ask` cannot answer free-form questions'): HolmesError {
  return new HolmesError('USAGE', `No model is configured, so ${what}.`, {
    fix: [
      'Add one to the config, e.g.',
      '  models:',
      '    - { provider: openai, model: gpt-4o-mini, apiKeys: [{ env: OPENAI_API_KEY }] }',
      '    - { provider: anthropic, model: claude-sonnet-4-5, apiKeys: [{ env: ANTHROPIC_API_KEY }] }',
      '    - { provider: openai, model: llama3.1:8b, baseUrl: http://127.0.0.1:11434/v1 }   # Ollama, vLLM, LiteLLM, llama.cpp',
      'Meanwhile the deterministic commands need no model: `holmes investigate --alert-file FILE` or `--scenario DIR` (root cause from runbook checks, 0 tokens), `holmes toolsets run TOOL` (query Prometheus and Kubernetes), `holmes eval`.',
    ].join('\n'),
  });
}
