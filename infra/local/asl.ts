/** Just enough of the Amazon States Language's shape for binding tasks locally. */
export interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  TimeoutSeconds?: number;
  HeartbeatSeconds?: number;
  Branches?: AslDefinition[];
  Iterator?: AslDefinition;
  ItemProcessor?: AslDefinition;
  [key: string]: unknown;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  QueryLanguage?: string;
  [key: string]: unknown;
}

/** Stands where `$$.Task.Token` was; replaced by a fresh token each time the task runs. */
export const TASK_TOKEN_PLACEHOLDER = '__local_task_token__';

/** Every state, nested Map and Parallel states included (state names are unique in a machine). */
export function allStates(definition: AslDefinition): Array<[string, AslState]> {
  return Object.entries(definition.States).flatMap(([name, state]) => [
    [name, state] as [string, AslState],
    ...(state.Branches ?? []).flatMap(allStates),
    ...(state.Iterator ? allStates(state.Iterator) : []),
    ...(state.ItemProcessor ? allStates(state.ItemProcessor) : []),
  ]);
}

/** Replaces `"x.$": "$$.Task.Token"` by `"x": TASK_TOKEN_PLACEHOLDER`, because the interpreter's context has no per-task token. */
export function withTokenPlaceholders(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withTokenPlaceholders);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, v]) =>
      key.endsWith('.$') && v === '$$.Task.Token'
        ? [key.slice(0, -2), TASK_TOKEN_PLACEHOLDER]
        : [key, withTokenPlaceholders(v)],
    ),
  );
}

/** Puts the real token wherever the placeholder is. */
export function fillToken(value: unknown, token: string): unknown {
  if (value === TASK_TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((v) => fillToken(v, token));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fillToken(v, token)]),
  );
}

/** Problems that make a definition impossible to run locally. */
export function unsupportedFeatures(definition: AslDefinition): string[] {
  const problems: string[] = [];
  if (definition.QueryLanguage === 'JSONata')
    problems.push('JSONata is not supported locally (use JSONPath)');
  for (const [name, state] of allStates(definition)) {
    if (state.QueryLanguage === 'JSONata') problems.push(`${name}: JSONata is not supported locally`);
    if ('Assign' in state) problems.push(`${name}: Variables (Assign) are not supported locally`);
    if (
      state.Type === 'Map' &&
      (state.ItemReader ||
        (state.ItemProcessor as { ProcessorConfig?: { Mode?: string } })?.ProcessorConfig?.Mode ===
          'DISTRIBUTED')
    ) {
      problems.push(`${name}: distributed Map is not supported locally`);
    }
  }
  return problems;
}
