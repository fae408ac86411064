import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../../../infra/local/event-pattern';
import { eventPatternProblems } from '../../../infra/local/event-pattern-check';

// Examples from AWS's "Content filtering in Amazon EventBridge event patterns" and
// "Comparison operators for use in event patterns" pages.
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
  },
};

describe('event pattern matching (AWS documented examples)', () => {
  it('matches exact values and ANDs fields', () => {
    expect(matchesPattern({ source: ['aws.ec2'], detail: { state: ['terminated'] } }, ec2Event)).toBe(true);
    expect(matchesPattern({ source: ['aws.ec2'], detail: { state: ['running'] } }, ec2Event)).toBe(false);
  });

  it('ORs the values of one field', () => {
    expect(matchesPattern({ detail: { state: ['running', 'terminated'] } }, ec2Event)).toBe(true);
  });

  it('matches a prefix, and a prefix ignoring case', () => {
    expect(matchesPattern({ time: [{ prefix: '2017-12-22' }] }, ec2Event)).toBe(true);
    expect(matchesPattern({ time: [{ prefix: '2018' }] }, ec2Event)).toBe(false);
    expect(
      matchesPattern(
        { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
        { detail: { service: 'eventbridge' } },
      ),
    ).toBe(true);
  });

  it('matches a suffix, and a suffix ignoring case', () => {
    expect(matchesPattern({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' })).toBe(true);
    expect(matchesPattern({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.PNG' })).toBe(false);
    expect(
      matchesPattern({ FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] }, { FileName: 'image.PNG' }),
    ).toBe(true);
  });

  it('matches equals-ignore-case', () => {
    expect(
      matchesPattern(
        { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
        ec2Event,
      ),
    ).toBe(true);
  });

  it('matches anything-but a string, a number and a list', () => {
    expect(matchesPattern({ detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2Event)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ 'anything-but': 'terminated' }] } }, ec2Event)).toBe(false);
    expect(matchesPattern({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, ec2Event)).toBe(true);
    expect(
      matchesPattern({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, ec2Event),
    ).toBe(true);
    expect(
      matchesPattern({ detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } }, ec2Event),
    ).toBe(false);
  });

  it('matches anything-but a prefix, a suffix, ignoring case and a wildcard', () => {
    expect(matchesPattern({ region: [{ 'anything-but': { prefix: 'us-' } }] }, ec2Event)).toBe(false);
    expect(matchesPattern({ region: [{ 'anything-but': { prefix: 'eu-' } }] }, ec2Event)).toBe(true);
    expect(
      matchesPattern({ FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'a.txt' }),
    ).toBe(true);
    expect(
      matchesPattern(
        { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
        { state: 'INITIALIZING' },
      ),
    ).toBe(false);
    expect(
      matchesPattern({ state: [{ 'anything-but': { 'equals-ignore-case': ['a', 'b'] } }] }, { state: 'C' }),
    ).toBe(true);
    expect(
      matchesPattern({ FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/lib/x' }),
    ).toBe(false);
    expect(
      matchesPattern({ FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/bin/x' }),
    ).toBe(true);
  });

  it('does not match anything-but when the field is missing', () => {
    expect(matchesPattern({ detail: { missing: [{ 'anything-but': 'x' }] } }, ec2Event)).toBe(false);
  });

  it('matches numeric ranges and equality, only on numbers', () => {
    expect(matchesPattern({ detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, ec2Event)).toBe(true);
    expect(matchesPattern({ detail: { 'd-count': [{ numeric: ['<', 10] }] } }, ec2Event)).toBe(true);
    expect(matchesPattern({ detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, ec2Event)).toBe(true);
    expect(matchesPattern({ detail: { 'c-count': [{ numeric: ['>', 5] }] } }, ec2Event)).toBe(false);
    expect(matchesPattern({ detail: { state: [{ numeric: ['>', 0] }] } }, ec2Event)).toBe(false);
  });

  it('matches exists true and false on leaf fields', () => {
    expect(matchesPattern({ detail: { state: [{ exists: true }] } }, ec2Event)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ exists: false }] } }, ec2Event)).toBe(false);
    expect(matchesPattern({ detail: { 'no-such-field': [{ exists: false }] } }, ec2Event)).toBe(true);
    expect(matchesPattern({ detail: { 'no-such-field': [{ exists: true }] } }, ec2Event)).toBe(false);
  });

  it('matches wildcards', () => {
    expect(
      matchesPattern(
        { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
        { EventBusArn: 'arn:aws:events:us-east-1:123:event-bus/oms' },
      ),
    ).toBe(true);
    expect(
      matchesPattern(
        { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
        { EventBusArn: 'arn:aws:events:eu-west-1:123:event-bus/oms' },
      ),
    ).toBe(false);
  });

  it('matches IPv4 CIDR blocks', () => {
    expect(
      matchesPattern(
        { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } },
        { detail: { 'source-ip': '10.0.0.255' } },
      ),
    ).toBe(true);
    expect(
      matchesPattern(
        { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } },
        { detail: { 'source-ip': '10.0.1.1' } },
      ),
    ).toBe(false);
  });

  it('matches null and the empty string as values', () => {
    expect(matchesPattern({ responseElements: [null] }, { responseElements: null })).toBe(true);
    expect(matchesPattern({ LastName: [''] }, { LastName: '' })).toBe(true);
    expect(matchesPattern({ LastName: [''] }, { LastName: 'x' })).toBe(false);
  });

  it('matches when any element of an array field matches', () => {
    expect(
      matchesPattern(
        { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] },
        ec2Event,
      ),
    ).toBe(true);
    expect(
      matchesPattern({ resources: ['arn:aws:ec2:us-west-1:123456789012:instance/other'] }, ec2Event),
    ).toBe(false);
  });

  it('matches $or across fields', () => {
    const pattern = {
      detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [{ numeric: ['<', 5] }] }] },
    };
    expect(matchesPattern(pattern, ec2Event)).toBe(true);
    const neither = {
      detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [{ numeric: ['>', 5] }] }] },
    };
    expect(matchesPattern(neither, ec2Event)).toBe(false);
  });

  it('does not match a nested pattern against a missing object', () => {
    expect(matchesPattern({ detail: { nested: { a: ['b'] } } }, ec2Event)).toBe(false);
  });

  it('is case sensitive for exact matches and does not match numbers to strings', () => {
    expect(matchesPattern({ source: ['AWS.EC2'] }, ec2Event)).toBe(false);
    expect(matchesPattern({ detail: { 'c-count': ['5'] } }, ec2Event)).toBe(false);
  });

  it('matches arrays nested at any depth, each nested pattern within one element', () => {
    const employees = {
      employees: [
        [
          { firstName: 'John', lastName: 'Doe' },
          { firstName: 'Anna', lastName: 'Smith' },
        ],
        [{ firstName: 'Peter', lastName: 'Jones' }],
      ],
    };
    expect(matchesPattern({ employees: { firstName: ['Anna'] } }, employees)).toBe(true);
    expect(matchesPattern({ employees: { firstName: ['Peter'], lastName: ['Jones'] } }, employees)).toBe(
      true,
    );
    // Fields from two elements of the array never make one match.
    expect(matchesPattern({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, employees)).toBe(
      false,
    );
    expect(matchesPattern({ codes: [3] }, { codes: [[1, 2], [[3]]] })).toBe(true);
    expect(matchesPattern({ codes: [4] }, { codes: [[1, 2], [[3]]] })).toBe(false);
  });

  it('applies exists to leaves only: an object in the event is as good as missing', () => {
    const withObject = { detail: { state: 'running', 'c-count': { c1: 100 } } };
    expect(matchesPattern({ detail: { 'c-count': [{ exists: false }] } }, withObject)).toBe(true);
    expect(matchesPattern({ detail: { 'c-count': [{ exists: true }] } }, withObject)).toBe(false);
    expect(
      matchesPattern({ detail: { 'c-count': [{ exists: true }] } }, { detail: { 'c-count': [{ c1: 1 }] } }),
    ).toBe(false);
    expect(matchesPattern({ detail: { 'c-count': { c1: [{ exists: true }] } } }, withObject)).toBe(true);
  });

  it('matches escaped asterisks and backslashes in wildcards literally', () => {
    expect(matchesPattern({ f: [{ wildcard: 'a\\*b' }] }, { f: 'a*b' })).toBe(true);
    expect(matchesPattern({ f: [{ wildcard: 'a\\*b' }] }, { f: 'axxb' })).toBe(false);
    expect(matchesPattern({ f: [{ wildcard: 'dir\\\\*' }] }, { f: 'dir\\file' })).toBe(true);
    expect(matchesPattern({ f: [{ wildcard: 'dir\\\\*' }] }, { f: 'dir/file' })).toBe(false);
    expect(matchesPattern({ f: [{ wildcard: '*.png' }] }, { f: 'a.png' })).toBe(true);
  });

  it('matches IPv6 CIDR blocks, compressed or not, and keeps the families apart', () => {
    const ip = (address: string, cidr: string) =>
      matchesPattern({ detail: { 'source-ip': [{ cidr }] } }, { detail: { 'source-ip': address } });
    expect(ip('2001:db8::1', '2001:db8::/32')).toBe(true);
    expect(ip('2001:0db8:0000:0000:0000:0000:0000:ffff', '2001:db8::/64')).toBe(true);
    expect(ip('2001:db9::1', '2001:db8::/32')).toBe(false);
    expect(ip('::ffff:10.0.0.1', '::ffff:10.0.0.0/120')).toBe(true);
    expect(ip('10.0.0.1', '2001:db8::/32')).toBe(false);
    expect(ip('2001:db8::1', '10.0.0.0/8')).toBe(false);
    expect(ip('fe80::1', 'fe80::1/128')).toBe(true);
  });
});

describe('event pattern validation (what PutRule refuses)', () => {
  const refused = (pattern: unknown) => eventPatternProblems(pattern);

  it('accepts every documented operator', () => {
    expect(
      refused({
        source: ['aws.ec2', null, 5, true, ''],
        detail: {
          a: [{ prefix: 'x' }, { prefix: { 'equals-ignore-case': 'x' } }, { suffix: '.png' }],
          b: [{ 'equals-ignore-case': 'x' }, { wildcard: 'a*b\\*c\\\\' }, { exists: false }],
          c: [{ numeric: ['>', 0, '<=', 5] }, { numeric: ['=', 3.018e2] }],
          d: [{ cidr: '10.0.0.0/24' }, { cidr: '2001:db8::/32' }],
          e: [
            { 'anything-but': 'x' },
            { 'anything-but': [1, 2] },
            { 'anything-but': { prefix: 'us-' } },
            { 'anything-but': { 'equals-ignore-case': ['a', 'b'] } },
            { 'anything-but': { wildcard: '*/lib/*' } },
          ],
          $or: [{ f: ['1'] }, { g: ['2'] }],
        },
      }),
    ).toEqual([]);
  });

  it('refuses empty patterns, empty lists and bare values, naming the field', () => {
    expect(refused({})).toEqual(['the pattern is empty']);
    expect(refused({ source: [] })).toEqual(['source: an empty list matches nothing']);
    expect(refused({ detail: {} })).toEqual(['detail: an empty object matches nothing']);
    expect(refused({ source: 'aws.ec2' })[0]).toMatch(/^source: must be a list/);
  });

  it('refuses unknown operators and operator objects with two operators', () => {
    expect(refused({ detail: { state: [{ regex: '.*' }] } })).toEqual([
      'detail.state[0]: unknown operator "regex"',
    ]);
    expect(refused({ detail: { state: [{ prefix: 'a', suffix: 'b' }] } })[0]).toMatch(/exactly one operator/);
  });

  it('refuses bad numeric ranges', () => {
    for (const numeric of [['>', 5, '<', 1], ['<', 5, '>', 1], ['>', 'five'], ['~', 1], ['>', 0, '<'], []])
      expect(refused({ n: [{ numeric }] })[0], JSON.stringify(numeric)).toMatch(/^n\[0\]: numeric takes/);
  });

  it('refuses a CIDR without its prefix length, or with one too long', () => {
    for (const cidr of ['10.0.0.1', '10.0.0.0/33', '2001:db8::/129', '300.0.0.0/8', 'x/8'])
      expect(refused({ ip: [{ cidr }] })[0], cidr).toMatch(/^ip\[0\]: cidr takes/);
  });

  it('refuses anything-but lists mixing strings and numbers', () => {
    expect(refused({ s: [{ 'anything-but': ['a', 1] }] })).toEqual([
      's[0]: anything-but takes a list of only strings or only numbers',
    ]);
    expect(refused({ s: [{ 'anything-but': { numeric: ['>', 1] } }] })[0]).toMatch(/does not take "numeric"/);
  });

  it('refuses consecutive wildcards and backslashes escaping anything else', () => {
    expect(refused({ f: [{ wildcard: 'a**b' }] })[0]).toMatch(/consecutive/);
    expect(refused({ f: [{ wildcard: 'a\\nb' }] })[0]).toMatch(/backslash/);
    expect(refused({ f: [{ wildcard: 'trailing\\' }] })[0]).toMatch(/backslash/);
    expect(refused({ f: [{ 'anything-but': { wildcard: ['ok*', 'bad**'] } }] })[0]).toMatch(/consecutive/);
  });

  it('refuses a $or that is not a list of at least two patterns', () => {
    expect(refused({ $or: [{ a: ['1'] }] })).toEqual(['$or: $or takes a list of at least two patterns']);
    expect(refused({ $or: [{ a: ['1'] }, { b: [{ nope: 1 }] }] })).toEqual([
      '$or[1] b[0]: unknown operator "nope"',
    ]);
  });
});
