import { randomUUID } from 'node:crypto';
import { type EventPattern, matchesPattern } from './event-pattern';
import { eventPatternProblems } from './event-pattern-check';
import type { QueueSender } from './lambda-async';
import { LOCAL_ACCOUNT, LOCAL_REGION, type LocalTemplate } from './template';

/** An event as EventBridge delivers it to targets. */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

export interface PutEventsEntry {
  EventBusName?: string;
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
  Time?: string | number;
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/**
 * Delivers an event to one rule target: a function is invoked asynchronously (so this resolves
 * once Lambda accepted it; its own retries and destination follow), a state machine started.
 */
export type TargetInvoker = (arn: string, input: unknown) => Promise<void>;

interface RuleTarget {
  id: string;
  arn: string;
  transform: (event: BusEvent) => unknown;
  maxAttempts: number;
  /** The target's DeadLetterConfig: the SQS queue an undeliverable event goes to. */
  deadLetterQueue?: string;
}

interface Rule {
  name: string;
  busName: string;
  /** An event rule's pattern; a scheduled rule has none. */
  pattern?: EventPattern;
  /** A scheduled rule's period (`rate(...)`). */
  everyMs?: number;
  targets: RuleTarget[];
}

const RATE_UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** `rate(5 minutes)` in ms; undefined for anything else (cron expressions are not emulated). */
export function rateMs(expression: string): number | undefined {
  const match = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  const unit = match?.[2] ? RATE_UNITS[match[2]] : undefined;
  return match && unit ? Number(match[1]) * unit : undefined;
}

const MAX_ENTRY_BYTES = 256 * 1024;
const DEFAULT_RETRY_ATTEMPTS = 185;

/**
 * The template's event buses and rules: PutEvents matches each entry against the rules of its
 * bus and delivers it asynchronously to every target, retrying with backoff as EventBridge does;
 * an event no retry could deliver goes to the target's dead-letter queue, with the attributes
 * EventBridge sets (RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, ...), or is dropped with a log line.
 */
export class LocalEventBus {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly taps: Array<(event: BusEvent) => void> = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(
    private readonly rules: Rule[],
    private readonly busNames: Set<string>,
    private readonly invoke: TargetInvoker,
    private readonly sendToQueue: QueueSender,
    private readonly retryDelayMs = (attempt: number) => Math.min(100 * 2 ** attempt, 10_000),
  ) {}

  static fromTemplate(
    template: LocalTemplate,
    invoke: TargetInvoker,
    sendToQueue: QueueSender,
  ): LocalEventBus {
    const busNames = new Set([
      'default',
      ...template.resourcesOfType('AWS::Events::EventBus').map((b) => b.logicalId),
    ]);
    const rules = template
      .resourcesOfType('AWS::Events::Rule')
      .filter(({ properties }) => (properties.State ?? 'ENABLED') === 'ENABLED')
      .map(({ logicalId, properties }) => ({
        name: logicalId,
        busName: busName(String(properties.EventBusName ?? 'default')),
        ...(properties.EventPattern ? { pattern: properties.EventPattern as EventPattern } : {}),
        ...(typeof properties.ScheduleExpression === 'string'
          ? { everyMs: rateMs(properties.ScheduleExpression) }
          : {}),
        targets: ((properties.Targets ?? []) as Array<Record<string, unknown>>).map((target) =>
          ruleTarget(logicalId, target),
        ),
      }));
    // EventBridge Scheduler's schedules: a clock and one target each, retried and dead-lettered alike.
    const schedules = template
      .resourcesOfType('AWS::Scheduler::Schedule')
      .filter(({ properties }) => (properties.State ?? 'ENABLED') === 'ENABLED')
      .map(({ logicalId, properties }) => {
        const target = properties.Target as Record<string, unknown>;
        const rule = ruleTarget(logicalId, { Id: 'Target', ...target });
        // Scheduler hands the target its Input as it is (an empty object without one), not an event.
        const input = target.Input === undefined ? {} : JSON.parse(String(target.Input));
        return {
          name: logicalId,
          busName: 'default',
          ...(typeof properties.ScheduleExpression === 'string'
            ? { everyMs: rateMs(properties.ScheduleExpression) }
            : {}),
          targets: [{ ...rule, transform: () => input }],
        };
      });
    return new LocalEventBus([...rules, ...schedules], busNames, invoke, sendToQueue);
  }

  /** Rules and targets the local cloud cannot honour, found before anything runs. */
  static unsupported(template: LocalTemplate): string[] {
    const problems: string[] = [];
    for (const { logicalId, properties } of template.resourcesOfType('AWS::Events::Rule')) {
      const schedule = properties.ScheduleExpression;
      if (schedule !== undefined && rateMs(String(schedule)) === undefined)
        problems.push(`${logicalId}: only rate(...) schedules are emulated, not ${String(schedule)}`);
      if (!properties.EventPattern && schedule === undefined)
        problems.push(`${logicalId}: neither an event pattern nor a schedule`);
      else if (properties.EventPattern)
        for (const problem of eventPatternProblems(properties.EventPattern))
          problems.push(`${logicalId}: EventBridge refuses its event pattern: ${problem}`);
      for (const target of (properties.Targets ?? []) as Array<Record<string, unknown>>) {
        const arn = String(target.Arn);
        if (!arn.includes(':lambda:') && !arn.includes(':states:') && !arn.startsWith('arn:aws:sqs:'))
          problems.push(`${logicalId}: target ${arn} is not a function, state machine or queue`);
        if (target.InputTransformer) problems.push(`${logicalId}: InputTransformer is not emulated`);
        const deadLetter = (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
        if (deadLetter !== undefined && !deadLetter.startsWith('arn:aws:sqs:'))
          problems.push(`${logicalId}: dead-letter target ${deadLetter} is not an SQS queue`);
      }
    }
    for (const { logicalId, properties } of template.resourcesOfType('AWS::Scheduler::Schedule')) {
      if (rateMs(String(properties.ScheduleExpression)) === undefined)
        problems.push(
          `${logicalId}: only rate(...) schedules are emulated, not ${String(properties.ScheduleExpression)}`,
        );
      const arn = String((properties.Target as { Arn?: unknown } | undefined)?.Arn);
      if (!arn.includes(':lambda:')) problems.push(`${logicalId}: target ${arn} is not a function`);
    }
    return problems;
  }

  /** Lets a local tool outside the template (the simulators) watch every event put on the bus. */
  private published = 0;

  /** Events put on the bus so far (what EventBridge bills). */
  eventsPublished(): number {
    return this.published;
  }

  tap(listener: (event: BusEvent) => void): void {
    this.taps.push(listener);
  }

  putEvents(entries: PutEventsEntry[]): { FailedEntryCount: number; Entries: PutEventsResultEntry[] } {
    const results = entries.map((entry) => this.putOne(entry));
    // EventBridge bills each event put (in 64 KB chunks; ours are far smaller), not its deliveries.
    this.published += results.filter((r) => !('ErrorCode' in r)).length;
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  private putOne(entry: PutEventsEntry): PutEventsResultEntry {
    if (!entry.Source || !entry.DetailType || entry.Detail === undefined) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required' };
    }
    if (Buffer.byteLength(JSON.stringify(entry)) > MAX_ENTRY_BYTES) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Entry is larger than 256 KB' };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON' };
    }
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail must be a JSON object' };
    }
    const bus = busName(entry.EventBusName ?? 'default');
    if (!this.busNames.has(bus)) {
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist` };
    }
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: LOCAL_ACCOUNT,
      time: eventTime(entry.Time),
      region: LOCAL_REGION,
      resources: entry.Resources ?? [],
      detail,
    };
    for (const tap of this.taps) tap(event);
    for (const rule of this.rules) {
      if (rule.busName !== bus || !rule.pattern || !matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) this.track(this.deliver(rule, target, event));
    }
    return { EventId: event.id };
  }

  /** Starts the clocks of the scheduled rules and of Scheduler's schedules: each fires its targets every period. */
  startSchedules(): void {
    for (const rule of this.rules) {
      if (rule.everyMs === undefined) continue;
      const timer = setInterval(() => this.runScheduled(rule.name), rule.everyMs);
      // A schedule alone never keeps the process alive.
      timer.unref();
      this.timers.push(timer);
    }
  }

  /**
   * Fires a scheduled rule or schedule now (as its clock would): a rule's targets get EventBridge's
   * Scheduled Event, a schedule's its Input. Its name's prefix will do.
   */
  runScheduled(name: string): void {
    const rule = this.rules.find((r) => r.everyMs !== undefined && r.name.startsWith(name));
    if (!rule) throw new Error(`No scheduled rule ${name}`);
    if (this.stopped) return;
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: LOCAL_ACCOUNT,
      time: eventTime(undefined),
      region: LOCAL_REGION,
      resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${rule.name}`],
      detail: {},
    };
    for (const target of rule.targets) this.track(this.deliver(rule, target, event));
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  private async deliver(rule: Rule, target: RuleTarget, event: BusEvent): Promise<void> {
    const input = target.transform(event);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.invoke(target.arn, input);
        return;
      } catch (error) {
        // A stopping bus no longer retries: the event goes where an exhausted one goes, not lost.
        if (this.stopped || attempt + 1 >= target.maxAttempts) {
          await this.deadLetter(rule, target, input, error as Error, attempt);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs(attempt)));
      }
    }
  }

  private async deadLetter(rule: Rule, target: RuleTarget, input: unknown, error: Error, retries: number) {
    const body = JSON.stringify(input);
    if (!target.deadLetterQueue) {
      console.error(
        `${rule.name} could not deliver an event to ${target.arn} and has no dead-letter queue:`,
        error.message,
        body,
      );
      return;
    }
    try {
      await this.sendToQueue(target.deadLetterQueue, body, {
        RULE_ARN: `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${rule.busName}/${rule.name}`,
        TARGET_ARN: target.arn,
        ERROR_CODE: error.name,
        ERROR_MESSAGE: error.message,
        EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttemptsExhausted',
        RETRY_ATTEMPTS: String(retries),
      });
    } catch (failure) {
      console.error(`${rule.name} could not dead-letter an event:`, (failure as Error).message, body);
    }
  }

  /** Resolves when every delivery started so far has finished (tests and shutdown wait on it). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }
}

function busName(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? (nameOrArn.split('/').pop() ?? nameOrArn) : nameOrArn;
}

function eventTime(time: string | number | undefined): string {
  if (time === undefined) return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const date = typeof time === 'number' ? new Date(time * 1000) : new Date(time);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function ruleTarget(rule: string, target: Record<string, unknown>): RuleTarget {
  const retry = target.RetryPolicy as { MaximumRetryAttempts?: number } | undefined;
  const input = target.Input as string | undefined;
  const inputPath = target.InputPath as string | undefined;
  const deadLetter = (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
  return {
    id: `${rule}/${String(target.Id)}`,
    arn: String(target.Arn),
    maxAttempts: 1 + (retry?.MaximumRetryAttempts ?? DEFAULT_RETRY_ATTEMPTS),
    ...(deadLetter ? { deadLetterQueue: deadLetter } : {}),
    transform: (event) => {
      if (input !== undefined) return JSON.parse(input);
      if (inputPath !== undefined) return selectPath(event, inputPath);
      return event;
    },
  };
}

/** The simple JSONPath EventBridge's InputPath takes: `$` or `$.a.b`. */
function selectPath(value: unknown, jsonPath: string): unknown {
  return jsonPath
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)
    .reduce<unknown>((current, key) => (current as Record<string, unknown> | undefined)?.[key], value);
}
