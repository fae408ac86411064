import { type EventPattern, isObject, parseCidr, wildcardPieces } from './event-pattern';

/**
 * What EventBridge refuses in an event pattern (PutRule's InvalidEventPatternException), each
 * problem with the path at fault: the local cloud refuses the same patterns when it loads the
 * template, so a rule that would fail `cdk deploy` never runs locally.
 */
export function eventPatternProblems(pattern: unknown): string[] {
  if (!isObject(pattern)) return ['the pattern must be a JSON object'];
  if (Object.keys(pattern).length === 0) return ['the pattern is empty'];
  return objectProblems(pattern, '');
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function objectProblems(pattern: EventPattern, path: string): string[] {
  return Object.entries(pattern).flatMap(([key, rule]) => {
    const at = join(path, key);
    if (key === '$or') return orProblems(rule, at, path);
    if (Array.isArray(rule)) {
      if (rule.length === 0) return [`${at}: an empty list matches nothing`];
      return rule.flatMap((r, i) => leafProblems(r, `${at}[${i}]`));
    }
    if (isObject(rule)) {
      if (Object.keys(rule).length === 0) return [`${at}: an empty object matches nothing`];
      return objectProblems(rule, at);
    }
    return [`${at}: must be a list of values or a nested pattern, not ${JSON.stringify(rule)}`];
  });
}

function orProblems(rule: unknown, at: string, path: string): string[] {
  if (!Array.isArray(rule) || rule.length < 2 || !rule.every(isObject))
    return [`${at}: $or takes a list of at least two patterns`];
  return rule.flatMap((alternative, i) =>
    Object.keys(alternative).length === 0
      ? [`${at}[${i}]: an empty pattern`]
      : objectProblems(alternative, path).map((p) => `${at}[${i}] ${p}`),
  );
}

const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function leafProblems(rule: unknown, at: string): string[] {
  if (isScalar(rule)) return [];
  if (!isObject(rule)) return [`${at}: a value must be a string, number, boolean, null or an operator`];
  const entries = Object.entries(rule);
  if (entries.length !== 1) return [`${at}: an operator object takes exactly one operator`];
  const [operator, argument] = entries[0] as [string, unknown];
  const problem = operatorProblem(operator, argument);
  return problem ? [`${at}: ${problem}`] : [];
}

function operatorProblem(operator: string, argument: unknown): string | undefined {
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return affixProblem(operator, argument);
    case 'equals-ignore-case':
      return typeof argument === 'string' ? undefined : 'equals-ignore-case takes a string';
    case 'wildcard':
      return typeof argument === 'string' ? wildcardProblem(argument) : 'wildcard takes a string';
    case 'exists':
      return typeof argument === 'boolean' ? undefined : 'exists takes true or false';
    case 'cidr':
      return typeof argument === 'string' && parseCidr(argument)
        ? undefined
        : `cidr takes an IPv4 or IPv6 block with its prefix length (e.g. 10.0.0.0/24), not ${JSON.stringify(argument)}`;
    case 'numeric':
      return numericProblem(argument);
    case 'anything-but':
      return anythingButProblem(argument);
    default:
      return `unknown operator "${operator}"`;
  }
}

function affixProblem(operator: string, argument: unknown): string | undefined {
  if (typeof argument === 'string') return undefined;
  if (
    isObject(argument) &&
    Object.keys(argument).length === 1 &&
    typeof argument['equals-ignore-case'] === 'string'
  )
    return undefined;
  return `${operator} takes a string or {"equals-ignore-case": string}`;
}

function wildcardProblem(pattern: string): string | undefined {
  if (wildcardPieces(pattern)) return undefined;
  return `wildcard ${JSON.stringify(pattern)} has consecutive "*" or a backslash escaping something other than "*" or "\\"`;
}

const LOWER = ['>', '>='];
const UPPER = ['<', '<='];

/** One comparison (`=`, `<`, `<=`, `>`, `>=` and a number), or a lower bound then a greater upper one. */
function numericProblem(argument: unknown): string | undefined {
  const usage = 'numeric takes [op, number] or [">"|">=", low, "<"|"<=", high] with low < high';
  if (!Array.isArray(argument) || (argument.length !== 2 && argument.length !== 4)) return usage;
  for (let i = 1; i < argument.length; i += 2)
    if (typeof argument[i] !== 'number' || !Number.isFinite(argument[i])) return usage;
  if (argument.length === 2) return ['=', ...LOWER, ...UPPER].includes(argument[0]) ? undefined : usage;
  const [low, lowBound, high, highBound] = argument as [string, number, string, number];
  return LOWER.includes(low) && UPPER.includes(high) && lowBound < highBound ? undefined : usage;
}

function anythingButProblem(argument: unknown): string | undefined {
  if (typeof argument === 'string' || typeof argument === 'number') return undefined;
  if (Array.isArray(argument)) {
    if (argument.length === 0) return 'anything-but takes a non-empty list';
    const strings = argument.every((v) => typeof v === 'string');
    const numbers = argument.every((v) => typeof v === 'number');
    return strings || numbers ? undefined : 'anything-but takes a list of only strings or only numbers';
  }
  if (isObject(argument) && Object.keys(argument).length === 1) {
    const [operator, inner] = Object.entries(argument)[0] as [string, unknown];
    const list = (v: unknown) =>
      typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string'));
    if (operator === 'prefix' || operator === 'suffix')
      return typeof inner === 'string' ? undefined : `anything-but ${operator} takes a string`;
    if (operator === 'equals-ignore-case')
      return list(inner) ? undefined : 'anything-but equals-ignore-case takes a string or a list of strings';
    if (operator === 'wildcard') {
      if (!list(inner)) return 'anything-but wildcard takes a string or a list of strings';
      return ([inner].flat() as string[]).map(wildcardProblem).find((p) => p !== undefined);
    }
    return `anything-but does not take "${operator}"`;
  }
  return 'anything-but takes a value, a list, or {prefix|suffix|equals-ignore-case|wildcard: ...}';
}
