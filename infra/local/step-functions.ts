import { setImmediate as nextTurn } from 'node:timers/promises';
import { StateMachine } from 'aws-local-stepfunctions';
import {
  type AslDefinition,
  type AslState,
  allStates,
  fillToken,
  unsupportedFeatures,
  withTokenPlaceholders,
} from './asl';
import { AwsServiceError } from './aws-error';
import type { ExecutionJournal, ExecutionRecord, ExecutionStatus, HistoryEvent } from './execution-journal';
import {
  ExecutionReplay,
  type LocalTaskMark,
  type RecordedTask,
  type TaskOutcome,
  taskKey,
} from './execution-replay';
import { setLongTimeout } from './long-timer';
import { TaskTokens, type TaskWait } from './task-tokens';
import { LOCAL_ACCOUNT, type LocalTemplate } from './template';

/** A service a Task state calls, chosen by its Resource; `input` is the state's effective Parameters. */
export interface TaskIntegrations {
  invokeLambda(functionName: string, payload: unknown, asynchronous: boolean): Promise<unknown>;
  putEvents(entries: unknown[]): Promise<unknown>;
  dynamodb(action: string, input: Record<string, unknown>): Promise<unknown>;
}

type TaskRunner = (input: unknown, run: RunContext) => Promise<unknown>;

interface RunContext {
  executionArn: string;
  /** Appends a history event and returns its id; task events point back to the task's previous one. */
  record: (type: string, details?: Record<string, unknown>, previousEventId?: number) => number;
  /** Journals what is not yet; false when the execution was detached (the process is stopping). */
  flush: (ended?: ExecutionRecord) => Promise<boolean>;
  /**
   * Journals an answer to a wait with the execution's next write when that comes within
   * ANSWER_JOIN_MS (the next wait, or the end, is usually a few turns away), else on its own then.
   */
  flushAnswer: () => Promise<boolean>;
  /** Marks the execution parked on a task token (idle) or busy again. */
  park: (parked: boolean) => void;
  /** Counts tasks in flight, parked or not (a Map's other branches may be working while one waits). */
  tasks: (delta: 1 | -1) => void;
  /** What the previous run recorded, when this run resumes an execution. */
  replay?: ExecutionReplay;
  /** The previous run's open waits, armed again under their tokens. */
  rearmed: Map<RecordedTask, TaskWait>;
}

type MachineType = 'STANDARD' | 'EXPRESS';

interface MachineSpec {
  arn: string;
  name: string;
  /** Express: run in memory, never journaled; a start lost with the process is made again (at least once). */
  type: MachineType;
  definition: AslDefinition;
  machine: StateMachine;
  tasks: Record<string, TaskRunner>;
}

interface LiveExecution {
  record: ExecutionRecord;
  history: HistoryEvent[];
  flushed: number;
  abort: () => void;
  done: Promise<void>;
  /** Set at shutdown: the execution stays RUNNING in the journal and resumes at the next start. */
  detached: boolean;
  /** Journal writes in order; shutdown waits for them so no batch is cut off half-written. */
  flushing: Promise<boolean>;
  /** Tasks now waiting on a token: such an execution is idle until someone answers. */
  parked: number;
  /** Tasks in flight, parked ones included. */
  tasks: number;
}

/** Doing something: no task waits on a token, or some task (another Map branch) is still working. */
const busy = (live: LiveExecution) => live.parked === 0 || live.tasks > live.parked;

const RESOURCE = {
  lambdaInvoke: /^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/,
  lambdaArn: /^arn:aws:lambda:[^:]+:[^:]+:function:([^:]+)(:[^:]+)?$/,
  putEvents: /^arn:aws:states:::events:putEvents(\.waitForTaskToken)?$/,
  dynamodb: /^arn:aws:states:::dynamodb:(getItem|putItem|updateItem|deleteItem)$/,
  startExecution: /^arn:aws:states:::states:startExecution(\.waitForTaskToken)?$/,
  taskResponse: /^arn:aws:states:::aws-sdk:sfn:(sendTaskSuccess|sendTaskFailure|sendTaskHeartbeat)$/,
};

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

/** What Step Functions uses when a Task sets no TimeoutSeconds (about three years). */
const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;
/** The interpreter times tasks with a plain setTimeout, which fires at once past 2^31-1 ms. */
const MAX_INTERPRETER_TIMEOUT_SECONDS = 2_147_483;

/**
 * We enforce every Task's timeout ourselves (long timers, TaskTimedOut in the history); the
 * interpreter's own timer, 60 s by default, is pushed just past ours so it never fires first.
 */
function withInterpreterTimeouts(definition: AslDefinition): AslDefinition {
  const copy = structuredClone(definition);
  for (const [, state] of allStates(copy)) {
    if (state.Type !== 'Task') continue;
    // Five seconds of slack: on a loaded machine the two timers must still fire in this order.
    const seconds = (state.TimeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS) + 5;
    state.TimeoutSeconds = Math.min(seconds, MAX_INTERPRETER_TIMEOUT_SECONDS);
  }
  return copy;
}

function withTimeout<T>(promise: Promise<T>, seconds: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setLongTimeout(
      () => reject(Object.assign(new Error('Task timed out'), { name: 'States.Timeout' })),
      seconds * 1000,
    );
    promise.then(
      (value) => {
        timer.cancel();
        resolve(value);
      },
      (error: unknown) => {
        timer.cancel();
        reject(error);
      },
    );
  });
}

/** Which integration a Resource names, or undefined when the local cloud cannot run it. */
function taskKind(resource: string): keyof typeof RESOURCE | undefined {
  return (Object.keys(RESOURCE) as Array<keyof typeof RESOURCE>).find((kind) =>
    RESOURCE[kind].test(resource),
  );
}

/**
 * The template's state machines, run by aws-local-stepfunctions with every Task bound to the
 * local service its Resource names; executions and history are journaled, so they survive a
 * restart, and executions that were running when the process stopped are started again
 * (tasks are idempotent by design, so a repeated task has no second effect).
 */
export class LocalStepFunctions {
  private readonly billed = { standardTransitions: 0, expressRequests: 0, expressBilledMs: 0 };
  readonly tokens = new TaskTokens();
  private readonly machines = new Map<string, MachineSpec>();
  private readonly live = new Map<string, LiveExecution>();
  /** Callback tasks' function invocations still running (the task already waits on its token). */
  private readonly handovers = new Set<Promise<unknown>>();
  /** The background resume after a start: settles once every interrupted execution is back. */
  private resuming: Promise<void> | undefined;
  private stopping = false;

  constructor(
    template: LocalTemplate,
    private readonly journal: ExecutionJournal,
    private readonly integrations: TaskIntegrations,
    /** Tests only: milliseconds a state's Retry waits, instead of the template's backoff. */
    private readonly retryIntervalOverrides: Record<string, number> = {},
  ) {
    for (const { logicalId, properties } of template.resourcesOfType('AWS::StepFunctions::StateMachine')) {
      const definition = parseDefinition(properties);
      const arn = template.arn(logicalId);
      const prepared = withInterpreterTimeouts(withTokenPlaceholders(definition) as AslDefinition);
      this.machines.set(arn, {
        arn,
        name: logicalId,
        type: machineType(properties),
        definition,
        machine: new StateMachine(prepared as never, {
          validationOptions: { checkArn: false, checkPaths: false },
        }),
        tasks: Object.fromEntries(
          // The template's own timeouts, not the interpreter's padded ones.
          allStates(definition)
            .filter(([, state]) => state.Type === 'Task')
            .map(([name, state]) => [name, this.taskRunner(name, state)]),
        ),
      });
    }
  }

  /** Everything in the template's state machines that cannot run here. */
  static unsupported(template: LocalTemplate): string[] {
    return template
      .resourcesOfType('AWS::StepFunctions::StateMachine')
      .flatMap(({ logicalId, properties }) => {
        const definition = parseDefinition(properties);
        return [
          ...unsupportedFeatures(definition).map((p) => `${logicalId}: ${p}`),
          ...allStates(definition)
            .filter(([, s]) => s.Type === 'Task' && !taskKind(String(s.Resource)))
            .map(([name, s]) => `${logicalId}.${name}: Task resource ${s.Resource} is not emulated`),
          // As AWS refuses to create them: an Express execution cannot wait for a callback or a job.
          ...(machineType(properties) === 'EXPRESS'
            ? allStates(definition)
                .filter(
                  ([, s]) => s.Type === 'Task' && /\.(waitForTaskToken|sync(:2)?)$/.test(String(s.Resource)),
                )
                .map(([name, s]) => `${logicalId}.${name}: an Express machine cannot use ${s.Resource}`)
            : []),
        ];
      });
  }

  /** The definitions being run, by state machine ARN (the fidelity test compares them to the template). */
  definitions(): Map<string, AslDefinition> {
    return new Map([...this.machines].map(([arn, spec]) => [arn, spec.definition]));
  }

  private taskRunner(stateName: string, state: AslState): TaskRunner {
    const resource = String(state.Resource);
    const waits = resource.endsWith('.waitForTaskToken');
    const kind = taskKind(resource);
    const details = { resourceType: resource.split(':')[5] ?? 'lambda', resource };
    return async (rawInput, run) => {
      run.tasks(1);
      try {
        return await this.runTask(stateName, state, rawInput, run, { waits, kind, details, resource });
      } finally {
        run.tasks(-1);
      }
    };
  }

  private async runTask(
    stateName: string,
    state: AslState,
    rawInput: unknown,
    run: RunContext,
    {
      waits,
      kind,
      details,
      resource,
    }: {
      waits: boolean;
      kind: keyof typeof RESOURCE | undefined;
      details: Record<string, string>;
      resource: string;
    },
  ): Promise<unknown> {
    const key = taskKey(stateName, rawInput);
    const recorded = run.replay?.take(key);
    if (recorded?.outcome) return replayed(recorded.outcome);
    // Timers start with the task, as the interpreter's own does, however busy the machine is; a
    // resumed wait keeps the deadline it had (a call cut off by the stop is simply made again).
    const timeoutSeconds = state.TimeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS;
    const deadline = waits && recorded ? recorded.deadline : Date.now() + timeoutSeconds * 1000;
    const rearmed = recorded && run.rearmed.get(recorded);
    if (recorded) run.rearmed.delete(recorded);
    const wait = waits
      ? (rearmed ??
        this.tokens.mint({
          executionArn: run.executionArn,
          stateName,
          deadline,
          ...(state.HeartbeatSeconds === undefined ? {} : { heartbeatSeconds: state.HeartbeatSeconds }),
        }))
      : undefined;
    const input = wait ? fillToken(rawInput, wait.token) : rawInput;
    // A wait its own Express child answers needs no journal write of its own: the child dies with
    // the process, so a stop loses both and the resumed run starts the child again. The wait and
    // its answer go to the journal with the execution's next write (two writes an order fewer).
    const durableWait = wait !== undefined && !this.startsExpress(kind, input);
    let last: number;
    if (recorded) {
      last = recorded.lastEventId;
    } else {
      // Let the interpreter's own StateEntered event reach the history before ours.
      await nextTurn();
      const scheduled = run.record('TaskScheduled', {
        taskScheduledEventDetails: {
          ...details,
          parameters: JSON.stringify(input),
          timeoutInSeconds: timeoutSeconds,
          ...(state.HeartbeatSeconds === undefined ? {} : { heartbeatInSeconds: state.HeartbeatSeconds }),
        },
        localTask: { key, ...(wait ? { token: wait.token } : {}) } satisfies LocalTaskMark,
      });
      last = run.record('TaskStarted', { taskStartedEventDetails: details }, scheduled);
    }
    try {
      let result: unknown;
      if (wait) {
        // An Express execution started for this wait died with the process that ran it: start it again.
        if (!recorded?.submitted || !durableWait) {
          // The function runs while the task waits (it may answer the token itself, so it is not
          // awaited here); if it fails, the task fails with its error, as on AWS.
          const token = wait.token;
          const handover = this.callIntegration(kind, resource, input as Record<string, unknown>)
            .catch(async (error: Error) => {
              try {
                await this.tokens.fail(token, error.name, error.message);
              } catch {
                // answered (or ended) meanwhile: the function's failure came too late to matter
              }
            })
            .finally(() => this.handovers.delete(handover));
          this.handovers.add(handover);
          last = run.record(
            'TaskSubmitted',
            { taskSubmittedEventDetails: { ...details, output: JSON.stringify({ StatusCode: 200 }) } },
            last,
          );
        }
        // Journaled before the execution counts as waiting: a stop from here on resumes this wait.
        if (durableWait) await run.flush();
        run.park(true);
        try {
          result = await wait.result;
        } finally {
          run.park(false);
        }
      } else {
        const call = this.callIntegration(kind, resource, input as Record<string, unknown>);
        result = await withTimeout(call, (deadline - Date.now()) / 1000);
      }
      run.record(
        'TaskSucceeded',
        { taskSucceededEventDetails: { ...details, output: JSON.stringify(result) } },
        last,
      );
      // SendTaskSuccess returns once the answer is journaled: a stop right after it loses nothing.
      // The execution goes on meanwhile, so that its next write can carry the answer too; a stop
      // before that write refuses the answer, and the caller's retry answers the resumed wait.
      if (wait) {
        if (durableWait) void run.flushAnswer().then(wait.journaled);
        else wait.journaled(true);
      }
      return result;
    } catch (error) {
      const e = error as Error;
      const type = e.name === 'States.Timeout' ? 'TaskTimedOut' : 'TaskFailed';
      run.record(
        type,
        {
          [`${type === 'TaskFailed' ? 'taskFailed' : 'taskTimedOut'}EventDetails`]: {
            ...details,
            error: e.name,
            cause: e.message,
          },
        },
        last,
      );
      if (wait) {
        this.tokens.discard(wait.token);
        wait.journaled(durableWait ? await run.flush() : true);
      }
      throw error;
    }
  }

  private async callIntegration(
    kind: keyof typeof RESOURCE | undefined,
    resource: string,
    input: Record<string, unknown>,
  ): Promise<unknown> {
    switch (kind) {
      case 'lambdaInvoke': {
        // As on AWS, a callback task invokes RequestResponse unless it asks for Event: a function
        // that fails before handing its token on fails the task (and its Catch applies).
        const event = input.InvocationType === 'Event';
        const payload = await this.integrations.invokeLambda(
          String(input.FunctionName),
          input.Payload ?? {},
          event,
        );
        return event
          ? { StatusCode: 202 }
          : { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
      }
      case 'lambdaArn':
        return this.integrations.invokeLambda(resource, input, false);
      case 'putEvents':
        return this.integrations.putEvents((input.Entries ?? []) as unknown[]);
      case 'dynamodb':
        return this.integrations.dynamodb(resource.split(':').pop() ?? '', input);
      case 'startExecution': {
        const started = await this.startExecution({
          stateMachineArn: String(input.StateMachineArn),
          input: JSON.stringify(input.Input ?? {}),
          ...(input.Name === undefined ? {} : { name: String(input.Name) }),
        });
        return { ExecutionArn: started.executionArn, StartDate: started.startDate };
      }
      case 'taskResponse':
        return this.answerTask(resource.split(':').pop() ?? '', input);
      default:
        throw new AwsServiceError('States.Runtime', `Task resource ${resource} is not emulated`);
    }
  }

  /** The aws-sdk:sfn integration answering another execution's task token. */
  private answerTask(action: string, input: Record<string, unknown>): Promise<unknown> {
    const taskToken = String(input.TaskToken);
    if (action === 'sendTaskSuccess')
      return this.sendTaskSuccess({ taskToken, output: String(input.Output) });
    if (action === 'sendTaskFailure')
      return this.sendTaskFailure({
        taskToken,
        ...(input.Error === undefined ? {} : { error: String(input.Error) }),
        ...(input.Cause === undefined ? {} : { cause: String(input.Cause) }),
      });
    return this.sendTaskHeartbeat({ taskToken });
  }

  private startsExpress(kind: keyof typeof RESOURCE | undefined, input: unknown): boolean {
    const arn = (input as { StateMachineArn?: unknown }).StateMachineArn;
    return kind === 'startExecution' && this.machines.get(String(arn))?.type === 'EXPRESS';
  }

  private machine(arn: string): MachineSpec {
    const machine = this.machines.get(arn);
    if (!machine)
      throw new AwsServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  listStateMachines() {
    return [...this.machines.values()].map((m) => ({
      stateMachineArn: m.arn,
      name: m.name,
      type: m.type,
      creationDate: 0,
    }));
  }

  async startExecution(params: { stateMachineArn: string; name?: string; input?: string }) {
    const machine = this.machine(params.stateMachineArn);
    const name = params.name ?? crypto.randomUUID();
    if (!NAME_PATTERN.test(name)) throw new AwsServiceError('InvalidName', `Invalid Name: '${name}'`);
    const input = params.input ?? '{}';
    try {
      JSON.parse(input);
    } catch {
      throw new AwsServiceError('InvalidExecutionInput', 'Invalid State Machine Execution Input');
    }
    if (machine.type === 'EXPRESS') return this.startExpress(machine, name, input);
    const executionArn = `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      startDate: Date.now() / 1000,
      input,
    };
    const existing = this.live.get(executionArn)?.record ?? (await this.createOrGet(record));
    if (existing) {
      // AWS: same name and input while running is the same execution; anything else is a conflict.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    this.run(machine, record, []);
    return { executionArn, startDate: record.startDate };
  }

  /**
   * An Express execution: names need not be unique (the ARN carries a fresh id), nothing is
   * journaled, so it is gone if the process stops; a Standard execution waiting on it starts it again.
   */
  private startExpress(machine: MachineSpec, name: string, input: string) {
    this.billed.expressRequests++;
    const executionArn = `${machine.arn.replace(':stateMachine:', ':express:')}:${name}:${crypto.randomUUID()}`;
    const startDate = Date.now() / 1000;
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      startDate,
      input,
    };
    this.run(machine, record, []);
    return { executionArn, startDate };
  }

  /** Journals a new execution; returns the existing record when the name is taken. */
  private async createOrGet(record: ExecutionRecord): Promise<ExecutionRecord | undefined> {
    if (await this.journal.create(record)) return undefined;
    return this.journal.get(record.executionArn);
  }

  private run(
    machine: MachineSpec,
    record: ExecutionRecord,
    history: HistoryEvent[],
    { flushed = 0, replay }: { flushed?: number; replay?: ExecutionReplay } = {},
  ): void {
    const live: LiveExecution = {
      record,
      history,
      flushed,
      abort: () => {},
      done: Promise.resolve(),
      detached: false,
      flushing: Promise.resolve(true),
      parked: 0,
      tasks: 0,
    };
    this.live.set(record.executionArn, live);
    const push = (type: string, details: Record<string, unknown> = {}, previousEventId?: number) => {
      if (live.detached) return 0;
      // Standard bills each state entered (retries re-enter): the history says how many.
      if (machine.type === 'STANDARD' && type.endsWith('StateEntered')) this.billed.standardTransitions++;
      const id = live.history.length + 1;
      live.history.push({
        id,
        previousEventId: previousEventId ?? id - 1,
        timestamp: Date.now() / 1000,
        type,
        ...details,
      });
      return id;
    };
    /** Journals the history not yet written, and the execution record when it has ended, in one batch. */
    const durable = machine.type === 'STANDARD';
    /** An answer's write waiting to go with the next one (flushAnswer). */
    let answerWrite:
      | { timer: NodeJS.Timeout; written: Promise<boolean>; settle: (written: Promise<boolean>) => void }
      | undefined;
    const flush = (ended?: ExecutionRecord) => {
      const joined = answerWrite;
      answerWrite = undefined;
      if (joined) clearTimeout(joined.timer);
      live.flushing = live.flushing.then(async () => {
        if (live.detached) return false;
        if (!durable) return true;
        const pending = live.history.slice(live.flushed);
        try {
          await this.journal.appendHistory(record.executionArn, pending, ended);
        } catch (error) {
          // Not fatal: the events stay pending and go with the next write (or the run resumes from the journal).
          console.error(`Journaling execution ${record.executionArn} failed:`, (error as Error).message);
          return false;
        }
        live.flushed += pending.length;
        return true;
      });
      joined?.settle(live.flushing);
      return live.flushing;
    };
    const flushAnswer = (): Promise<boolean> => {
      if (answerWrite) return answerWrite.written;
      let settle: (written: Promise<boolean>) => void = () => {};
      const written = new Promise<boolean>((resolve) => {
        settle = resolve;
      });
      answerWrite = { timer: setTimeout(() => void flush(), ANSWER_JOIN_MS), written, settle };
      return written;
    };
    const park = (parked: boolean) => {
      live.parked += parked ? 1 : -1;
    };
    const tasks = (delta: 1 | -1) => {
      live.tasks += delta;
    };
    const rearmed = new Map(
      (replay?.openWaits() ?? []).map((task) => [
        task,
        this.tokens.mint({
          executionArn: record.executionArn,
          stateName: task.stateName,
          token: task.token,
          deadline: task.deadline,
          ...(task.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: task.heartbeatSeconds }),
        }),
      ]),
    );
    const run: RunContext = {
      executionArn: record.executionArn,
      record: push,
      flush,
      flushAnswer,
      park,
      tasks,
      ...(replay ? { replay } : {}),
      rearmed,
    };
    const execution = machine.machine.run(JSON.parse(record.input), {
      noThrowOnAbort: true,
      overrides: {
        retryIntervalOverrides: this.retryIntervalOverrides,
        taskResourceLocalHandlers: Object.fromEntries(
          Object.entries(machine.tasks).map(([name, runner]) => [
            name,
            (input: unknown) => runner(input, run) as never,
          ]),
        ),
      },
      context: {
        Execution: {
          Id: record.executionArn,
          Name: record.name,
          Input: JSON.parse(record.input),
          StartTime: new Date(record.startDate * 1000).toISOString(),
        },
        StateMachine: { Id: machine.arn, Name: machine.name },
      },
    });
    live.abort = execution.abort;
    const events = (async () => {
      for await (const event of execution.eventLogs) {
        const mapped = toHistoryEvent(event as unknown as Record<string, unknown>);
        // A resumed run passes again through states the history holds: they are not recorded twice.
        if (mapped && !replay?.replays(mapped.type, mapped.details)) push(mapped.type, mapped.details);
        const final = finalStatus(event as unknown as Record<string, unknown>);
        if (final) Object.assign(record, final, { stopDate: Date.now() / 1000 });
      }
    })();
    live.done = Promise.allSettled([execution.result, events]).then(async ([result]) => {
      if (live.detached) return;
      if (machine.type === 'EXPRESS') {
        // Express bills its duration rounded up to 100 ms (memory in 64 MB steps: the cost model's).
        this.billed.expressBilledMs += Math.ceil((Date.now() - record.startDate * 1000) / 100) * 100;
      }
      if (record.status === 'RUNNING') {
        // The interpreter settled without a final event (should not happen); record what it gave.
        Object.assign(
          record,
          result.status === 'fulfilled'
            ? { status: 'SUCCEEDED', output: JSON.stringify(result.value) }
            : { status: 'FAILED', error: 'States.Runtime', cause: String(result.reason) },
          { stopDate: Date.now() / 1000 },
        );
      }
      // A recorded wait the resumed run never reached again must not outlive the execution, and
      // an answer it got must not keep its sender waiting for a journal write that never comes.
      this.tokens.forgetExecution(
        record.executionArn,
        Object.assign(new Error('Execution ended'), { name: 'States.Aborted' }),
      );
      for (const wait of rearmed.values()) wait.journaled(false);
      // The end must reach the journal, or the execution would show as running until a restart.
      for (let attempt = 0; !(await flush(record)) && !live.detached && attempt < 5; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
      this.live.delete(record.executionArn);
    });
    live.done = live.done.catch((error: Error) => {
      if (!live.detached) console.error(`Journaling execution ${record.executionArn} failed:`, error);
    });
  }

  async describeExecution(params: { executionArn: string }) {
    const record =
      this.live.get(params.executionArn)?.record ?? (await this.journal.get(params.executionArn));
    if (!record)
      throw new AwsServiceError(
        'ExecutionDoesNotExist',
        `Execution Does Not Exist: '${params.executionArn}'`,
      );
    return record;
  }

  /** What AWS would bill so far: Standard state transitions, Express requests and duration. */
  usage() {
    return { ...this.billed };
  }

  /** The definition an execution runs (the template's: a local state machine never changes while it runs). */
  async describeStateMachineForExecution(params: { executionArn: string }) {
    const record = await this.describeExecution(params);
    const machine = this.machine(record.stateMachineArn);
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      definition: JSON.stringify(machine.definition),
      roleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/local-step-functions`,
      updateDate: 0,
    };
  }

  async listExecutions(params: {
    stateMachineArn: string;
    statusFilter?: ExecutionStatus;
    maxResults?: number;
    nextToken?: string;
  }) {
    this.machine(params.stateMachineArn);
    const limit = Math.min(params.maxResults || 100, 1000);
    const startKey = params.nextToken
      ? (JSON.parse(Buffer.from(params.nextToken, 'base64url').toString()) as Record<string, unknown>)
      : undefined;
    const page = await this.journal.list(params.stateMachineArn, {
      limit,
      ...(params.statusFilter ? { status: params.statusFilter } : {}),
      ...(startKey ? { startKey } : {}),
    });
    return {
      executions: page.records.map((r) => {
        const current = this.live.get(r.executionArn)?.record ?? r;
        return {
          executionArn: current.executionArn,
          stateMachineArn: current.stateMachineArn,
          name: current.name,
          status: current.status,
          startDate: current.startDate,
          ...(current.stopDate ? { stopDate: current.stopDate } : {}),
        };
      }),
      ...(page.lastKey ? { nextToken: Buffer.from(JSON.stringify(page.lastKey)).toString('base64url') } : {}),
    };
  }

  async getExecutionHistory(params: {
    executionArn: string;
    maxResults?: number;
    nextToken?: string;
    reverseOrder?: boolean;
  }) {
    await this.describeExecution(params);
    const live = this.live.get(params.executionArn);
    const all = live ? [...live.history] : await this.journal.history(params.executionArn);
    const ordered = params.reverseOrder ? all.reverse() : all;
    const offset = params.nextToken ? Number(params.nextToken) : 0;
    const limit = Math.min(params.maxResults || 1000, 1000);
    // The local marks on TaskScheduled are for resuming, not part of the AWS history.
    const events = ordered.slice(offset, offset + limit).map(({ localTask: _mark, ...event }) => event);
    return { events, ...(offset + limit < ordered.length ? { nextToken: String(offset + limit) } : {}) };
  }

  async stopExecution(params: { executionArn: string; error?: string; cause?: string }) {
    if (!this.live.has(params.executionArn)) await this.resuming;
    const live = this.live.get(params.executionArn);
    if (!live) {
      await this.describeExecution(params);
      throw new AwsServiceError('ExecutionNotRunning', 'Execution is not running');
    }
    Object.assign(live.record, {
      status: 'ABORTED',
      stopDate: Date.now() / 1000,
      ...(params.error ? { error: params.error } : {}),
      ...(params.cause ? { cause: params.cause } : {}),
    });
    this.tokens.forgetExecution(
      params.executionArn,
      Object.assign(new Error('Execution stopped'), { name: 'States.Aborted' }),
    );
    live.abort();
    await live.done;
    return { stopDate: live.record.stopDate };
  }

  async sendTaskSuccess(params: { taskToken: string; output: string }) {
    let output: unknown;
    try {
      output = JSON.parse(params.output);
    } catch {
      throw new AwsServiceError('InvalidOutput', 'Invalid output: not JSON');
    }
    return answered(await this.onceResumed(() => this.tokens.succeed(params.taskToken, output)));
  }

  async sendTaskFailure(params: { taskToken: string; error?: string; cause?: string }) {
    return answered(
      await this.onceResumed(() => this.tokens.fail(params.taskToken, params.error, params.cause)),
    );
  }

  async sendTaskHeartbeat(params: { taskToken: string }) {
    await this.onceResumed(() => this.tokens.heartbeat(params.taskToken));
    return {};
  }

  /**
   * Restarts the executions the journal shows as running (the process stopped while they ran)
   * and returns how many there are. Only the listing is awaited: the executions come back in the
   * background, several at once, so a start after a load test serves at once. Until an
   * execution is back, an answer to its task token or a stop of it waits for the resume.
   */
  async resumeInterrupted(): Promise<number> {
    const interrupted: Array<{ machine: MachineSpec; record: ExecutionRecord }> = [];
    for (const machine of this.machines.values()) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.journal.list(machine.arn, {
          status: 'RUNNING',
          limit: 100,
          ...(startKey ? { startKey } : {}),
        });
        for (const record of page.records)
          if (!this.live.has(record.executionArn)) interrupted.push({ machine, record });
        startKey = page.lastKey;
      } while (startKey);
    }
    const count = interrupted.length;
    if (count === 0) return 0;
    // Several at once: each waits mostly on its history read and its record write.
    const resumed = Promise.all(
      Array.from({ length: Math.min(RESUME_CONCURRENCY, count) }, async () => {
        for (let next = interrupted.shift(); next && !this.stopping; next = interrupted.shift()) {
          const { machine, record } = next;
          try {
            const history = await this.journal.history(record.executionArn);
            await this.rerun(machine, record, history, new ExecutionReplay(history));
          } catch (error) {
            // Still RUNNING in the journal: the next start tries it again.
            console.error(`Resuming execution ${record.executionArn} failed:`, (error as Error).message);
          }
        }
      }),
    ).then(() => {
      this.resuming = undefined;
    });
    this.resuming = resumed;
    return count;
  }

  /** Resolves once the executions a start found running are all back (at once when none are). */
  async resumed(): Promise<void> {
    await this.resuming;
  }

  /**
   * Runs an answer to a task token; a token not armed yet may belong to an execution still
   * being resumed, so that answer is tried again once the resume is over.
   */
  private async onceResumed<T>(answer: () => T | Promise<T>): Promise<T> {
    // Taken before the first try: a resume ending meanwhile still earns the answer its second try.
    const resuming = this.resuming;
    try {
      return await answer();
    } catch (error) {
      if (!resuming || !(error instanceof AwsServiceError) || error.code !== 'TaskDoesNotExist') throw error;
      await resuming;
      return answer();
    }
  }

  /**
   * RedriveExecution: a failed, timed-out or aborted execution goes on from the step that failed,
   * with the same input and ARN. Steps that succeeded are not run again (their journaled
   * outcomes are replayed); the failed step runs afresh, its retries counted anew.
   */
  async redriveExecution(params: { executionArn: string }) {
    // Ended but its final journal write still under way: DescribeExecution says so already, so wait for it.
    const ending = this.live.get(params.executionArn);
    if (ending && ending.record.status !== 'RUNNING') await ending.done;
    const record = await this.describeExecution(params);
    if (this.live.has(record.executionArn) || !REDRIVABLE.has(record.status))
      throw new AwsServiceError(
        'ExecutionNotRedrivable',
        `Execution ${record.executionArn} is ${record.status}: only a failed, timed-out or aborted one can be redriven`,
      );
    const { stopDate: _stop, output: _output, error: _error, cause: _cause, ...kept } = record;
    const running: ExecutionRecord = { ...kept, status: 'RUNNING' };
    const history = await this.journal.history(record.executionArn);
    await this.rerun(
      this.machine(record.stateMachineArn),
      running,
      history,
      ExecutionReplay.forRedrive(history),
    );
    return { redriveDate: Date.now() / 1000 };
  }

  /** Runs an execution again over its journaled history (ExecutionRedriven appended, as on AWS). */
  private async rerun(
    machine: MachineSpec,
    record: ExecutionRecord,
    history: HistoryEvent[],
    replay: ExecutionReplay,
  ): Promise<void> {
    record.redriveCount = (record.redriveCount ?? 0) + 1;
    const id = history.length + 1;
    history.push({
      id,
      previousEventId: id - 1,
      timestamp: Date.now() / 1000,
      type: 'ExecutionRedriven',
      executionRedrivenEventDetails: { redriveCount: record.redriveCount },
    });
    await this.journal.save(record);
    this.run(machine, record, history, { flushed: history.length - 1, replay });
  }

  /** Executions doing something now (running, not parked on a task token). */
  busyCount(): number {
    let running = 0;
    for (const live of this.live.values()) if (busy(live)) running++;
    return running + this.handovers.size + (this.resuming ? 1 : 0);
  }

  /**
   * Resolves when every execution has ended or waits on a task token (tests and the bench wait on
   * it). It looks every 10 ms rather than awaiting the busy executions: a Promise.allSettled over
   * all of them each round left one more reaction on every running execution per round, and with
   * hundreds running the garbage collector and the microtask queue took half the main thread.
   */
  async idle(): Promise<void> {
    while (this.busyCount() > 0) {
      await this.resuming;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Stops the interpreter without recording the executions as ended: they resume at the next start. */
  async shutdown(): Promise<void> {
    // No more executions brought back; those under way come back first, then stop with the rest.
    this.stopping = true;
    await this.resuming;
    const settling: Promise<unknown>[] = [];
    for (const live of this.live.values()) {
      if (live.record.status !== 'RUNNING') {
        // Ended, its final journal write under way: let it land.
        settling.push(live.done);
        continue;
      }
      live.detached = true;
      this.tokens.forgetExecution(
        live.record.executionArn,
        Object.assign(new Error('Local cloud stopped'), { name: 'States.Aborted' }),
      );
      live.abort();
      settling.push(live.flushing);
    }
    await Promise.allSettled(settling);
    this.live.clear();
  }
}

/**
 * How long an answer's journal write waits to go with the execution's next one. The answer's
 * sender waits that much longer at most; under load the next write comes within it (after a pick,
 * the ship wait's), one write an order fewer.
 */
const ANSWER_JOIN_MS = 50;

/** Executions brought back at once at a start. */
const RESUME_CONCURRENCY = 16;

/** A task the history shows ended: its outcome again, without calling anything. */
const REDRIVABLE = new Set<ExecutionStatus>(['FAILED', 'TIMED_OUT', 'ABORTED']);

function replayed(outcome: TaskOutcome): unknown {
  if (outcome.type === 'TaskSucceeded') return outcome.output;
  throw Object.assign(new Error(outcome.cause), { name: outcome.error });
}

/** An answer the process could not journal (it is stopping) is refused, so the caller sends it again. */
function answered(kept: boolean) {
  if (!kept) throw new AwsServiceError('ServiceUnavailable', 'The local cloud is stopping; retry', 503);
  return {};
}

function machineType(properties: Record<string, unknown>): MachineType {
  return properties.StateMachineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
}

function parseDefinition(properties: Record<string, unknown>): AslDefinition {
  const body = properties.DefinitionString ?? properties.Definition;
  return (typeof body === 'string' ? JSON.parse(body) : body) as AslDefinition;
}

function finalStatus(event: Record<string, unknown>): Partial<ExecutionRecord> | undefined {
  switch (event.type) {
    case 'ExecutionSucceeded':
      return { status: 'SUCCEEDED', output: JSON.stringify(event.output ?? null) };
    case 'ExecutionFailed':
      return { status: 'FAILED', error: String(event.Error), cause: String(event.Cause ?? '') };
    case 'ExecutionTimeout':
      return { status: 'TIMED_OUT' };
    default:
      return undefined;
  }
}

/** Maps the interpreter's event log onto Step Functions' history event types. */
function toHistoryEvent(
  event: Record<string, unknown>,
): { type: string; details: Record<string, unknown> } | undefined {
  const state = event.state as { name: string; type: string; input?: unknown; output?: unknown } | undefined;
  switch (event.type) {
    case 'ExecutionStarted':
      return {
        type: 'ExecutionStarted',
        details: { executionStartedEventDetails: { input: JSON.stringify(event.input) } },
      };
    case 'ExecutionSucceeded':
      return {
        type: 'ExecutionSucceeded',
        details: { executionSucceededEventDetails: { output: JSON.stringify(event.output ?? null) } },
      };
    case 'ExecutionFailed':
      return {
        type: 'ExecutionFailed',
        details: { executionFailedEventDetails: { error: event.Error, cause: event.Cause } },
      };
    case 'ExecutionAborted':
      return { type: 'ExecutionAborted', details: { executionAbortedEventDetails: {} } };
    case 'ExecutionTimeout':
      return { type: 'ExecutionTimedOut', details: { executionTimedOutEventDetails: {} } };
    case 'StateEntered':
      return {
        type: `${state?.type}StateEntered`,
        details: {
          stateEnteredEventDetails: { name: state?.name, input: JSON.stringify(state?.input ?? null) },
        },
      };
    case 'StateExited':
      return {
        type: `${state?.type}StateExited`,
        details: {
          stateExitedEventDetails: { name: state?.name, output: JSON.stringify(state?.output ?? null) },
        },
      };
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
      return {
        type: String(event.type),
        details: {
          mapIterationEventDetails: {
            name: (event.parentState as { name: string }).name,
            index: event.index,
          },
        },
      };
    default:
      // StateFailed/Retried/Caught: the Task* events already tell the failure; AWS has no equivalent.
      return undefined;
  }
}

export type { ExecutionStatus };
