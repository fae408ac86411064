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
  pattern: EventPattern;
  targets: RuleTarget[];
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
        pattern: properties.EventPattern as EventPattern,
        targets: ((properties.Targets ?? []) as Array<Record<string, unknown>>).map((target) =>
          ruleTarget(logicalId, target),
        ),
      }));
    return new LocalEventBus(rules, busNames, invoke, sendToQueue);
  }

  /** Rules and targets the local cloud cannot honour, found before anything runs. */
  static unsupported(template: LocalTemplate): string[] {
    const problems: string[] = [];
    for (const { logicalId, properties } of template.resourcesOfType('AWS::Events::Rule')) {
      if (!properties.EventPattern) problems.push(`${logicalId}: scheduled rules are not emulated`);
      else
        for (const problem of eventPatternProblems(properties.EventPattern))
          problems.push(`${logicalId}: EventBridge refuses its event pattern: ${problem}`);
      for (const target of (properties.Targets ?? []) as Array<Record<string, unknown>>) {
        const arn = String(target.Arn);
        if (!arn.includes(':lambda:') && !arn.includes(':states:'))
          problems.push(`${logicalId}: target ${arn} is not a function or state machine`);
        if (target.InputTransformer) problems.push(`${logicalId}: InputTransformer is not emulated`);
        const deadLetter = (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
        if (deadLetter !== undefined && !deadLetter.startsWith('arn:aws:sqs:'))
          problems.push(`${logicalId}: dead-letter target ${deadLetter} is not an SQS queue`);
      }
    }
    return problems;
  }

  /** Lets a local tool outside the template (the simulators) watch every event put on the bus. */
  tap(listener: (event: BusEvent) => void): void {
    this.taps.push(listener);
  }

  putEvents(entries: PutEventsEntry[]): { FailedEntryCount: number; Entries: PutEventsResultEntry[] } {
    const results = entries.map((entry) => this.putOne(entry));
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
      if (rule.busName !== bus || !matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) this.track(this.deliver(rule, target, event));
    }
    return { EventId: event.id };
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
