/**
 * EventBridge event pattern matching, covering the documented syntax: exact values (string,
 * number, boolean, null, empty string), prefix, suffix, equals-ignore-case, anything-but (value,
 * list, prefix, suffix, equals-ignore-case, wildcard), numeric ranges, exists (on leaves only),
 * wildcard (with `\*` and `\\` escapes), cidr (IPv4 and IPv6), $or, nested objects, and arrays in
 * the event at any depth (crushed: any element may match, and one nested pattern must match
 * within one element). Written by hand because no maintained JavaScript port of EventBridge's
 * matcher (aws/event-ruler, Java) exists; `event-pattern-check.ts` refuses what EventBridge refuses.
 */
export type EventPattern = Record<string, unknown>;

const MISSING = Symbol('missing');
type Value = unknown | typeof MISSING;

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An event's arrays of arrays count as one flat list. */
const flatten = (value: unknown): unknown[] =>
  Array.isArray(value) ? value.flat(Number.POSITIVE_INFINITY) : [value];

/** True when `event` matches `pattern`. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or')
      return (rule as EventPattern[]).some((alternative) => matchesPattern(alternative, event));
    const value: Value = isObject(event) && key in event ? event[key] : MISSING;
    if (Array.isArray(rule)) return matchesLeaf(rule, value);
    if (isObject(rule)) {
      const candidates = value === MISSING ? [] : flatten(value).filter(isObject);
      // No object there: every field of the nested pattern is missing (only `exists: false` can match).
      if (candidates.length === 0) return matchesPattern(rule, undefined);
      return candidates.some((candidate) => matchesPattern(rule, candidate));
    }
    throw new Error(`Event pattern field ${key} must be an array or an object`);
  });
}

function matchesLeaf(rules: unknown[], value: Value): boolean {
  // Only leaves are values: an object (or a list of nothing but objects) is as good as missing.
  const leaves = value === MISSING ? [] : flatten(value).filter((v) => !isObject(v));
  if (leaves.length === 0) return rules.some((rule) => isObject(rule) && rule.exists === false);
  return rules.some((rule) => {
    if (isObject(rule) && 'exists' in rule) return rule.exists === true;
    return leaves.some((v) => matchesRule(rule, v));
  });
}

function matchesRule(rule: unknown, value: unknown): boolean {
  if (!isObject(rule)) return rule === value;
  const [operator, argument] = Object.entries(rule)[0] ?? [];
  switch (operator) {
    case 'prefix':
      return matchesAffix(argument, value, (s, a) => s.startsWith(a));
    case 'suffix':
      return matchesAffix(argument, value, (s, a) => s.endsWith(a));
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === String(argument).toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && wildcardRegExp(String(argument)).test(value);
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
  if (Array.isArray(argument)) return argument.some((excluded) => excluded === value);
  if (isObject(argument)) {
    const [operator, inner] = Object.entries(argument)[0] ?? [];
    if ((operator === 'equals-ignore-case' || operator === 'wildcard') && Array.isArray(inner))
      return inner.some((v) => matchesRule({ [operator]: v }, value));
    return matchesRule(argument, value);
  }
  return argument === value;
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

const STAR = Symbol('*');

/**
 * A wildcard's pieces: literal text and `*`s. A backslash escapes `*` or `\`; anything else after
 * a backslash, or two `*` in a row, is not a wildcard EventBridge accepts (undefined).
 */
export function wildcardPieces(pattern: string): Array<string | typeof STAR> | undefined {
  const pieces: Array<string | typeof STAR> = [];
  let literal = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') return undefined;
      literal += next;
      i++;
    } else if (c === '*') {
      if (pieces.at(-1) === STAR && literal === '') return undefined;
      if (literal) pieces.push(literal);
      literal = '';
      pieces.push(STAR);
    } else literal += c;
  }
  if (literal) pieces.push(literal);
  return pieces;
}
function wildcardRegExp(pattern: string): RegExp {
  const pieces = wildcardPieces(pattern) ?? [pattern];
  const source = pieces
    .map((piece) => (piece === STAR ? '.*' : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's');
}

function ipv4(address: string): bigint | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let result = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    result = result * 256n + BigInt(part);
  }
  return result;
}

/** An IPv6 address as a 128-bit number: `::` compression and a trailing dotted IPv4 part allowed. */
function ipv6(address: string): bigint | undefined {
  if (!address.includes(':')) return undefined;
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (text: string): number[] | undefined => {
    if (text === '') return [];
    const groups: number[] = [];
    const parts = text.split(':');
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = ipv4(part);
        if (v4 === undefined) return undefined;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-f]{1,4}$/i.test(part)) groups.push(Number.parseInt(part, 16));
      else return undefined;
    }
    return groups;
  };
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...Array<number>(missing).fill(0), ...tail].reduce((n, g) => (n << 16n) + BigInt(g), 0n);
}

/** A CIDR block as its family, network number and prefix length; undefined when not one. */
export function parseCidr(cidr: string): { bits: 32 | 128; network: bigint; prefix: number } | undefined {
  const [address, prefixText, ...rest] = cidr.split('/');
  if (rest.length > 0 || prefixText === undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const v4 = ipv4(address ?? '');
  if (v4 !== undefined) return prefix <= 32 ? { bits: 32, network: v4, prefix } : undefined;
  const v6 = ipv6(address ?? '');
  if (v6 !== undefined) return prefix <= 128 ? { bits: 128, network: v6, prefix } : undefined;
  return undefined;
}

function inCidr(cidr: string, address: string): boolean {
  const block = parseCidr(cidr);
  if (!block) return false;
  const ip = block.bits === 32 ? ipv4(address) : ipv6(address);
  if (ip === undefined) return false;
  const shift = BigInt(block.bits - block.prefix);
  return ip >> shift === block.network >> shift;
}
