import type { Entities } from './investigation.js';

/** The team as people know it, with the gateway's id beside an alias (LiteLLM teams are UUIDs). */
export function teamLabel(entities: Pick<Entities, 'team' | 'teamAlias'>): string | undefined {
  if (!entities.team) return undefined;
  return entities.teamAlias ? `${entities.teamAlias} (${entities.team})` : entities.team;
}
