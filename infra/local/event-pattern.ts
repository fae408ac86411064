/**
 * EventBridge event pattern matching, covering the documented syntax: exact values (string,
 * number, boolean, null, empty string), prefix, suffix, equals-ignore-case, anything-but (value,
 * list, prefix, suffix, equals-ignore-case, wildcard), numeric ranges, exists, wildcard, cidr
 * (IPv4), $or, nested objects, and array-valued event fields (any element may match).
 */
export type EventPattern = Record<string, unknown>;

const MISSING = Symbol('missing');
type Value = unknown | typeof MISSING;

/** True when `event` matches `pattern`. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or')
      return (rule as EventPattern[]).some((alternative) => matchesPattern(alternative, event));
    const value: Value =
      event !== null && typeof event === 'object' && !Array.isArray(event) && key in event
        ? (event as Record<string, unknown>)[key]
        : MISSING;
    if (Array.isArray(rule)) return matchesLeaf(rule, value);
    if (rule !== null && typeof rule === 'object') {
      if (value === MISSING) return matchesPattern(rule as EventPattern, undefined);
      const candidates = Array.isArray(value) ? value : [value];
      return candidates.some((candidate) => matchesPattern(rule as EventPattern, candidate));
    }
    throw new Error(`Event pattern field ${key} must be an array or an object`);
  });
}

function matchesLeaf(rules: unknown[], value: Value): boolean {
  if (value === MISSING) return rules.some((rule) => isObject(rule) && rule.exists === false);
  const values = Array.isArray(value) ? value : [value];
  return rules.some((rule) => {
    if (isObject(rule) && 'exists' in rule) return rule.exists === true;
    return values.some((v) => matchesRule(rule, v));
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function matchesRule(rule: unknown, value: unknown): boolean {
  if (!isObject(rule)) return equalsExactly(rule, value);
  const [operator, argument] = Object.entries(rule)[0] ?? [];
  switch (operator) {
    case 'prefix':
      return matchesAffix(argument, value, (s, a) => s.startsWith(a));
    case 'suffix':
      return matchesAffix(argument, value, (s, a) => s.endsWith(a));
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === String(argument).toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && wildcard(String(argument)).test(value);
    case 'numeric':
      return typeof value === 'number' && matchesNumeric(argument as unknown[], value);
    case 'cidr':
      return typeof value === 'string' && inCidr(String(argument), value);
    case 'anything-but':
      return !matchesAnythingButExclusion(argument, value);
    default:
      throw new Error(`Unsupported event pattern operator ${operator}`);
  }
}

function equalsExactly(expected: unknown, value: unknown): boolean {
  if (typeof expected === 'number' && typeof value === 'number') return expected === value;
  return expected === value;
}

function matchesAffix(argument: unknown, value: unknown, test: (s: string, a: string) => boolean): boolean {
  if (typeof value !== 'string') return false;
  if (isObject(argument)) {
    const affix = String(argument['equals-ignore-case']);
    return test(value.toLowerCase(), affix.toLowerCase());
  }
  return test(value, String(argument));
}

/** What anything-but excludes: a value, a list of values, or a prefix/suffix/ignore-case/wildcard rule. */
function matchesAnythingButExclusion(argument: unknown, value: unknown): boolean {
  if (Array.isArray(argument)) return argument.some((excluded) => equalsExactly(excluded, value));
  if (isObject(argument)) {
    const [operator, inner] = Object.entries(argument)[0] ?? [];
    if (operator === 'equals-ignore-case' && Array.isArray(inner)) {
      return inner.some((v) => matchesRule({ 'equals-ignore-case': v }, value));
    }
    if (operator === 'wildcard' && Array.isArray(inner))
      return inner.some((v) => matchesRule({ wildcard: v }, value));
    return matchesRule(argument, value);
  }
  return equalsExactly(argument, value);
}

function matchesNumeric(conditions: unknown[], value: number): boolean {
  for (let i = 0; i < conditions.length; i += 2) {
    const operator = conditions[i];
    const bound = Number(conditions[i + 1]);
    const ok =
      (operator === '=' && value === bound) ||
      (operator === '<' && value < bound) ||
      (operator === '<=' && value <= bound) ||
      (operator === '>' && value > bound) ||
      (operator === '>=' && value >= bound);
    if (!ok) return false;
  }
  return true;
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`, 's');
}

function ipv4(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let result = 0;
  for (const part of parts) {
    const n = Number(part);
    if (!/^\d{1,3}$/.test(part) || n > 255) return undefined;
    result = result * 256 + n;
  }
  return result;
}

function inCidr(cidr: string, address: string): boolean {
  const [network, bitsText] = cidr.split('/');
  const bits = Number(bitsText ?? 32);
  const base = ipv4(network ?? '');
  const ip = ipv4(address);
  if (base === undefined || ip === undefined) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(ip / size) === Math.floor(base / size);
}
