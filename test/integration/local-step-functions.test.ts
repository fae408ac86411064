import { CreateTableCommand, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AslDefinition, AslState } from '../../infra/local/asl';
import { type DynamoDbLocal, databaseIn } from '../../infra/local/dynamodb';
import { ExecutionJournal, JOURNAL_TABLE } from '../../infra/local/execution-journal';
import { LocalStepFunctions, type TaskIntegrations } from '../../infra/local/step-functions';
import { LocalTemplate } from '../../infra/local/template';
import { eventually } from '../support/http';

let dynamo: DynamoDbLocal;
let journal: ExecutionJournal;

beforeAll(async () => {
  dynamo = await databaseIn(inject('dynamodbEndpoint'));
  journal = new ExecutionJournal(dynamo.client);
  await journal.ensureTable();
  await dynamo.client.send(
    new CreateTableCommand({
      TableName: 'Things',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    }),
  );
});
afterAll(async () => {
  await dynamo?.stop();
});

/** A Task that hands its token to a warehouse over the bus and waits for the answer. */
const pickRequest = (orderIdPath: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::events:putEvents.waitForTaskToken',
  Parameters: {
    Entries: [
      {
        Source: 'test',
        DetailType: 'PickRequested',
        Detail: { 'token.$': '$$.Task.Token', 'orderId.$': orderIdPath },
      },
    ],
  },
});

/** A machine that waits for a warehouse's answer, within these times. */
const callbackWithin = (timeoutSeconds: number, heartbeatSeconds: number): AslDefinition => ({
  StartAt: 'RequestPick',
  States: {
    RequestPick: {
      ...pickRequest('$.orderId'),
      TimeoutSeconds: timeoutSeconds,
      HeartbeatSeconds: heartbeatSeconds,
      ResultPath: '$.pick',
      Catch: [
        {
          ErrorEquals: ['States.Timeout', 'States.HeartbeatTimeout', 'PickRejected'],
          ResultPath: '$.error',
          Next: 'Rejected',
        },
      ],
      Next: 'Picked',
    },
    Picked: { Type: 'Succeed' },
    Rejected: { Type: 'Pass', End: true },
  },
});
const callback = callbackWithin(4, 2);

/** The same wait with room to spare, for tests that stop and resume it on a loaded machine. */
const patientCallback = callbackWithin(120, 60);

/** Prepares its items with a Lambda, then waits for each item's warehouse in a Map. */
const fanout: AslDefinition = {
  StartAt: 'Prepare',
  States: {
    Prepare: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'prepare', 'Payload.$': '$' },
      ResultSelector: { 'items.$': '$.Payload.items' },
      ResultPath: '$.prepared',
      Next: 'EachItem',
    },
    EachItem: {
      Type: 'Map',
      ItemsPath: '$.prepared.items',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Pick',
        States: {
          Pick: {
            ...pickRequest('$.id'),
            Catch: [{ ErrorEquals: ['PickRejected'], ResultPath: '$.error', Next: 'PickFailed' }],
            End: true,
          },
          PickFailed: { Type: 'Pass', End: true },
        },
      },
      End: true,
    },
  },
};

/** One wait with a deadline and nothing else. */
const timed: AslDefinition = {
  StartAt: 'Wait',
  States: {
    Wait: {
      ...pickRequest('$.orderId'),
      // Long enough that a stop and a resume on a loaded machine end before it.
      TimeoutSeconds: 8,
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'TimedOut' }],
      End: true,
    },
    TimedOut: { Type: 'Pass', End: true },
  },
};

const storeAndRead: AslDefinition = {
  StartAt: 'Store',
  States: {
    Store: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: {
        TableName: 'Things',
        Item: { pk: { 'S.$': '$.id' }, note: { S: 'stored by the workflow' } },
      },
      ResultPath: null,
      Next: 'Read',
    },
    Read: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:getItem',
      Parameters: { TableName: 'Things', Key: { pk: { 'S.$': '$.id' } } },
      ResultSelector: { 'note.$': '$.Item.note.S' },
      End: true,
    },
  },
};

/** Prepare, then a step that may fail (no retry, no catch): the execution fails there. */
const flaky: AslDefinition = {
  StartAt: 'Prepare',
  States: {
    Prepare: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'prepare', 'Payload.$': '$' },
      ResultPath: null,
      Next: 'Charge',
    },
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'charge', 'Payload.$': '$' },
      Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 1, IntervalSeconds: 0 }],
      ResultSelector: { 'charged.$': '$.Payload.items[0].id' },
      End: true,
    },
  },
};

const machineArn = (name: string) => `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`;

/** An Express burst: works, then answers its parent's token with the result or a named failure. */
const burst: AslDefinition = {
  StartAt: 'Work',
  States: {
    Work: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'work', 'Payload.$': '$' },
      ResultSelector: { 'items.$': '$.Payload.items' },
      ResultPath: '$.result',
      Next: 'Outcome',
    },
    Outcome: {
      Type: 'Choice',
      Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'AnswerFailure' }],
      Default: 'AnswerSuccess',
    },
    AnswerSuccess: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:sfn:sendTaskSuccess',
      Parameters: { 'TaskToken.$': '$.token', 'Output.$': 'States.JsonToString($.result)' },
      End: true,
    },
    AnswerFailure: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:sfn:sendTaskFailure',
      Parameters: { 'TaskToken.$': '$.token', Error: 'Backordered', Cause: 'no stock' },
      End: true,
    },
  },
};

/** A Standard parent that starts the burst and waits for its answer, catching its failure by name. */
const nested: AslDefinition = {
  StartAt: 'Prepare',
  States: {
    Prepare: {
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution.waitForTaskToken',
      Parameters: {
        StateMachineArn: machineArn('Burst'),
        Input: { 'token.$': '$$.Task.Token', 'fail.$': '$.fail' },
      },
      TimeoutSeconds: 120,
      ResultPath: '$.prepared',
      Catch: [{ ErrorEquals: ['Backordered'], ResultPath: '$.error', Next: 'Waiting' }],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
    Waiting: { Type: 'Pass', End: true },
  },
};

/** A step on a function that may never answer (the test hangs it), then the end. */
const shipThenDone: AslState = {
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: 'ship', 'Payload.$': '$' },
  ResultPath: null,
  Next: 'Done',
};

/** The parent above with a step after the burst. */
const nestedThenShip: AslDefinition = {
  StartAt: 'Prepare',
  States: {
    Prepare: { ...(nested.States.Prepare as AslState), Catch: undefined, Next: 'Ship' },
    Ship: shipThenDone,
    Done: { Type: 'Succeed' },
  },
};

/** A wait, then either a second wait at once or a long task: where an answer's write can go with the next. */
const waitThen = (next: 'wait' | 'work'): AslDefinition => ({
  StartAt: 'RequestPick',
  States: {
    RequestPick: { ...pickRequest('$.orderId'), TimeoutSeconds: 120, ResultPath: '$.pick', Next: 'Then' },
    Then:
      next === 'wait'
        ? { ...pickRequest('$.orderId'), TimeoutSeconds: 120, ResultPath: '$.ship', Next: 'Done' }
        : shipThenDone,
    Done: { Type: 'Succeed' },
  },
});

/** The items of an execution's history in the journal: each one DynamoDB Local write. */
async function historyItems(executionArn: string): Promise<number> {
  const { Count = 0 } = await dynamo.client.send(
    new QueryCommand({
      TableName: JOURNAL_TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': { S: executionArn }, ':prefix': { S: 'EVENT#' } },
      Select: 'COUNT',
    }),
  );
  return Count;
}

const EXPRESS = new Set(['Burst']);

function templateOf(definitions: Record<string, AslDefinition>): LocalTemplate {
  return new LocalTemplate(
    {
      Resources: Object.fromEntries(
        Object.entries(definitions).map(([id, d]) => [
          id,
          {
            Type: 'AWS::StepFunctions::StateMachine',
            Properties: {
              DefinitionString: JSON.stringify(d),
              ...(EXPRESS.has(id) ? { StateMachineType: 'EXPRESS' } : {}),
            },
          },
        ]),
      ),
    },
    '.',
  );
}

function harness(changed: Record<string, AslDefinition> = {}) {
  const sent: Array<{ token: string; orderId: string }> = [];
  const invoked: string[] = [];
  const failing = new Set<string>();
  /** Functions that never answer (the process stops while they run). */
  const hanging = new Set<string>();
  const integrations: TaskIntegrations = {
    invokeLambda: async (functionName) => {
      invoked.push(functionName);
      if (hanging.has(functionName)) return new Promise(() => {});
      if (failing.has(functionName))
        throw Object.assign(new Error(`${functionName} broke`), { name: 'Boom' });
      return { items: [{ id: 'x' }, { id: 'y' }] };
    },
    putEvents: async (entries) => {
      for (const entry of entries as Array<{ Detail: { token: string; orderId: string } }>)
        sent.push(entry.Detail);
      return { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: 'e' })) };
    },
    dynamodb: async (action, input) => {
      const command =
        action === 'putItem' ? new PutItemCommand(input as never) : new GetItemCommand(input as never);
      const { $metadata: _m, ...output } = await dynamo.client.send(command as never);
      return output;
    },
  };
  const sfn = new LocalStepFunctions(
    templateOf({
      Callback: callback,
      Patient: patientCallback,
      Store: storeAndRead,
      Fanout: fanout,
      Timed: timed,
      Flaky: flaky,
      Burst: burst,
      Nested: nested,
      NestedThenShip: nestedThenShip,
      WaitThenWait: waitThen('wait'),
      WaitThenWork: waitThen('work'),
      ...changed,
    }),
    journal,
    integrations,
  );
  return { sfn, sent, invoked, failing, hanging, arn: machineArn };
}

async function finished(sfn: LocalStepFunctions, executionArn: string, timeoutMs = 10_000) {
  return eventually(async () => {
    const record = await sfn.describeExecution({ executionArn });
    return record.status === 'RUNNING' ? undefined : record;
  }, timeoutMs);
}

/**
 * Starts `machine`, stops the process once `hangingFunction` (which never answers) was called,
 * then resumes on a fresh process and waits for the end: what ran and was journaled before the
 * stop, and after it.
 */
async function stopAtAndResume(machine: string, name: string, hangingFunction: string) {
  const before = harness();
  before.hanging.add(hangingFunction);
  const run = await before.sfn.startExecution({
    stateMachineArn: before.arn(machine),
    name,
    input: '{"fail":false}',
  });
  await eventually(async () => (before.invoked.includes(hangingFunction) ? true : undefined));
  const invokedBeforeStop = [...before.invoked];
  const journaledBeforeStop = await historyItems(run.executionArn);
  await before.sfn.shutdown();

  const after = harness();
  await after.sfn.resumeInterrupted();
  await after.sfn.resumed();
  const done = await finished(after.sfn, run.executionArn);
  return { invokedBeforeStop, journaledBeforeStop, after, done };
}

describe('the local Step Functions', () => {
  it('runs an Express child a Standard parent starts and waits on: the child journals nothing, its answer resumes the parent, and a failure it sends is caught by name', async () => {
    const { sfn, arn, invoked } = harness();
    expect(sfn.listStateMachines().find((m) => m.name === 'Burst')?.type).toBe('EXPRESS');
    const ok = await sfn.startExecution({
      stateMachineArn: arn('Nested'),
      name: 'nested-ok',
      input: '{"fail":false}',
    });
    const no = await sfn.startExecution({
      stateMachineArn: arn('Nested'),
      name: 'nested-no',
      input: '{"fail":true}',
    });
    const done = await finished(sfn, ok.executionArn);
    expect(JSON.parse(String(done.output)).prepared).toEqual({ items: [{ id: 'x' }, { id: 'y' }] });
    const caught = await finished(sfn, no.executionArn);
    expect(JSON.parse(String(caught.output)).error).toEqual({ Error: 'Backordered', Cause: 'no stock' });
    expect(invoked.filter((f) => f === 'work')).toHaveLength(2);
    // Express: no execution record and no history in the journal, only the parents'.
    expect((await journal.list(arn('Burst'), { limit: 10 })).records).toEqual([]);
    const states = (await sfn.getExecutionHistory({ executionArn: ok.executionArn })).events.flatMap((e) => {
      const name = (e.stateEnteredEventDetails as { name?: string } | undefined)?.name;
      return name ? [name] : [];
    });
    expect(states).toEqual(['Prepare', 'Done']);
  });

  it('starts an Express child again when the process stopped while it ran (at least once), and its parent finishes', async () => {
    const { after, done } = await stopAtAndResume('Nested', 'nested-lost', 'work');
    expect(done.status).toBe('SUCCEEDED');
    expect(after.invoked).toEqual(['work']);
  });

  it("journals a wait its own Express child answers with the parent's next write, not on its own: a run from start to end is one history item", async () => {
    const { sfn, arn } = harness();
    const run = await sfn.startExecution({
      stateMachineArn: arn('Nested'),
      name: 'nested-one-write',
      input: '{"fail":false}',
    });
    expect((await finished(sfn, run.executionArn)).status).toBe('SUCCEEDED');
    expect(await historyItems(run.executionArn)).toBe(1);
    const types = (await journal.history(run.executionArn)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['TaskSubmitted', 'TaskSucceeded', 'ExecutionSucceeded']));
  });

  it('starts the Express child again when the process stopped after it answered but before the parent wrote again, so the unjournaled answer is not lost', async () => {
    const stopped = await stopAtAndResume('NestedThenShip', 'nested-answer-lost', 'ship');
    expect(stopped.invokedBeforeStop).toEqual(['work', 'ship']);
    expect(stopped.journaledBeforeStop).toBe(0);
    const { after, done } = stopped;
    expect(done.status).toBe('SUCCEEDED');
    expect(after.invoked).toEqual(['work', 'ship']);
  });

  it('refuses an Express machine that waits for a task token, as AWS does when it is created', () => {
    const template = templateOf({ Burst: callback });
    expect(LocalStepFunctions.unsupported(template)).toEqual([
      expect.stringMatching(/^Burst\.RequestPick: an Express machine cannot use .*waitForTaskToken$/),
    ]);
  });

  it('gives every waiting task its own token and resumes it on SendTaskSuccess with the output', async () => {
    const { sfn, sent, arn } = harness();
    const a = await sfn.startExecution({
      stateMachineArn: arn('Callback'),
      name: 'order-a',
      input: '{"orderId":"a"}',
    });
    const b = await sfn.startExecution({
      stateMachineArn: arn('Callback'),
      name: 'order-b',
      input: '{"orderId":"b"}',
    });
    await eventually(async () => (sent.length === 2 ? true : undefined));
    const tokens = new Map(sent.map((s) => [s.orderId, s.token]));
    expect(tokens.get('a')).not.toBe(tokens.get('b'));
    expect(tokens.get('a')).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    await sfn.sendTaskSuccess({ taskToken: String(tokens.get('a')), output: '{"packages":1}' });
    const done = await finished(sfn, a.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(String(done.output))).toEqual({ orderId: 'a', pick: { packages: 1 } });

    await sfn.sendTaskFailure({
      taskToken: String(tokens.get('b')),
      error: 'PickRejected',
      cause: 'damaged',
    });
    const rejected = await finished(sfn, b.executionArn);
    expect(JSON.parse(String(rejected.output)).error).toEqual({ Error: 'PickRejected', Cause: 'damaged' });
    await expect(sfn.sendTaskSuccess({ taskToken: String(tokens.get('a')), output: '{}' })).rejects.toThrow(
      /Task does not exist/,
    );
  });

  it("journals a wait's answer with the execution's next write when that comes at once (the next wait), and SendTaskSuccess returns once it is written", async () => {
    const { sfn, sent, arn } = harness();
    const run = await sfn.startExecution({
      stateMachineArn: arn('WaitThenWait'),
      name: 'answer-joined',
      input: '{"orderId":"joined"}',
    });
    // Waiting once its wait is journaled (the request went out just before).
    await eventually(async () => ((await historyItems(run.executionArn)) === 1 ? true : undefined));
    expect(sent).toHaveLength(1);
    await sfn.sendTaskSuccess({ taskToken: String(sent[0]?.token), output: '{"picked":true}' });
    // Answered: the answer is in the journal, in the same item as the second wait's events.
    const journaled = (await journal.history(run.executionArn)).map((e) => e.type);
    expect(journaled.filter((t) => t === 'TaskSucceeded')).toHaveLength(1);
    expect(journaled.filter((t) => t === 'TaskSubmitted')).toHaveLength(2);
    expect(await historyItems(run.executionArn)).toBe(2);
    await sfn.sendTaskSuccess({ taskToken: String(sent[1]?.token), output: '{"shipped":true}' });
    expect((await finished(sfn, run.executionArn)).status).toBe('SUCCEEDED');
    expect(await historyItems(run.executionArn)).toBe(3);
  });

  it("journals a wait's answer on its own when the execution's next write does not come at once (a long task), before SendTaskSuccess returns", async () => {
    const { sfn, sent, arn, hanging, invoked } = harness();
    hanging.add('ship');
    const run = await sfn.startExecution({
      stateMachineArn: arn('WaitThenWork'),
      name: 'answer-alone',
      input: '{"orderId":"alone"}',
    });
    await eventually(async () => ((await historyItems(run.executionArn)) === 1 ? true : undefined));
    await sfn.sendTaskSuccess({ taskToken: String(sent[0]?.token), output: '{"picked":true}' });
    expect(invoked).toEqual(['ship']);
    expect((await journal.history(run.executionArn)).map((e) => e.type)).toContain('TaskSucceeded');
    expect(await historyItems(run.executionArn)).toBe(2);
    await sfn.shutdown();
  });

  it('ends a wait with States.HeartbeatTimeout when no heartbeat comes, and heartbeats keep it alive until TimeoutSeconds', async () => {
    const { sfn, sent, arn } = harness();
    const silent = await sfn.startExecution({
      stateMachineArn: arn('Callback'),
      name: 'silent',
      input: '{"orderId":"s"}',
    });
    const chatty = await sfn.startExecution({
      stateMachineArn: arn('Callback'),
      name: 'chatty',
      input: '{"orderId":"c"}',
    });
    await eventually(async () => (sent.length === 2 ? true : undefined));
    const token = sent.find((s) => s.orderId === 'c')?.token as string;
    const beat = setInterval(() => {
      sfn.sendTaskHeartbeat({ taskToken: token }).catch(() => clearInterval(beat));
    }, 200);
    const silentDone = await finished(sfn, silent.executionArn);
    expect(JSON.parse(String(silentDone.output)).error.Error).toBe('States.HeartbeatTimeout');
    const chattyDone = await finished(sfn, chatty.executionArn);
    clearInterval(beat);
    expect(JSON.parse(String(chattyDone.output)).error.Error).toBe('States.Timeout');
    const history = await sfn.getExecutionHistory({ executionArn: chatty.executionArn });
    expect(history.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['TaskSubmitted', 'TaskTimedOut']),
    );
  });

  it('runs dynamodb:putItem and getItem tasks against DynamoDB Local', async () => {
    const { sfn, arn } = harness();
    const run = await sfn.startExecution({
      stateMachineArn: arn('Store'),
      name: 'store-1',
      input: '{"id":"thing-1"}',
    });
    const done = await finished(sfn, run.executionArn);
    expect(JSON.parse(String(done.output))).toEqual({ note: 'stored by the workflow' });
  });

  it('treats a repeated start with the same name and input as the same execution, and anything else as a conflict', async () => {
    const { sfn, arn } = harness();
    const first = await sfn.startExecution({
      stateMachineArn: arn('Callback'),
      name: 'dup',
      input: '{"orderId":"d"}',
    });
    const again = await sfn.startExecution({
      stateMachineArn: arn('Callback'),
      name: 'dup',
      input: '{"orderId":"d"}',
    });
    expect(again.executionArn).toBe(first.executionArn);
    await expect(
      sfn.startExecution({ stateMachineArn: arn('Callback'), name: 'dup', input: '{"orderId":"x"}' }),
    ).rejects.toThrow(/Execution Already Exists/);
    await sfn.stopExecution({ executionArn: first.executionArn, error: 'Ops', cause: 'test' });
    expect((await sfn.describeExecution({ executionArn: first.executionArn })).status).toBe('ABORTED');
    await expect(
      sfn.startExecution({ stateMachineArn: arn('Callback'), name: 'dup', input: '{"orderId":"d"}' }),
    ).rejects.toThrow(/Execution Already Exists/);
  });

  it('resumes a stopped execution at the same state, waiting on the same token, and keeps one history', async () => {
    const before = harness();
    const run = await before.sfn.startExecution({
      stateMachineArn: before.arn('Patient'),
      name: 'survivor',
      input: '{"orderId":"r"}',
    });
    await eventually(async () => (before.sent.length === 1 ? true : undefined));
    const token = String(before.sent[0]?.token);
    await before.sfn.shutdown();
    expect((await journal.get(run.executionArn))?.status).toBe('RUNNING');

    const after = harness();
    expect(await after.sfn.resumeInterrupted()).toBeGreaterThanOrEqual(1);
    await after.sfn.resumed();
    expect(after.sfn.tokens.waiting(run.executionArn)).toEqual([
      { token, stateName: 'RequestPick', executionArn: run.executionArn, deadline: expect.any(Number) },
    ]);
    await after.sfn.sendTaskSuccess({ taskToken: token, output: '{"packages":2}' });
    const done = await finished(after.sfn, run.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.redriveCount).toBe(1);
    // The warehouse was asked once, before the stop; nobody was asked again.
    expect(after.sent).toEqual([]);
    const types = (await after.sfn.getExecutionHistory({ executionArn: run.executionArn })).events.map(
      (e) => e.type,
    );
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'ExecutionRedriven',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('replays the tasks a resumed execution already ran and re-arms every open Map branch under its own token', async () => {
    const before = harness();
    const run = await before.sfn.startExecution({
      stateMachineArn: before.arn('Fanout'),
      name: 'fanout-1',
      input: '{"orderId":"f"}',
    });
    await eventually(async () => (before.sent.length === 2 ? true : undefined));
    const tokens = new Map(before.sent.map((s) => [s.orderId, s.token]));
    await before.sfn.sendTaskSuccess({ taskToken: String(tokens.get('x')), output: '{"picked":"x"}' });
    await before.sfn.shutdown();

    const after = harness();
    await after.sfn.resumeInterrupted();
    await after.sfn.resumed();
    expect(after.sfn.tokens.waiting(run.executionArn).map((w) => w.token)).toEqual([tokens.get('y')]);
    await after.sfn.sendTaskSuccess({ taskToken: String(tokens.get('y')), output: '{"picked":"y"}' });
    const done = await finished(after.sfn, run.executionArn);
    expect(JSON.parse(String(done.output))).toEqual([{ picked: 'x' }, { picked: 'y' }]);
    expect(before.invoked).toEqual(['prepare']);
    expect(after.invoked).toEqual([]);
    expect(after.sent).toEqual([]);
    const events = (await after.sfn.getExecutionHistory({ executionArn: run.executionArn })).events;
    expect(events.filter((e) => e.type === 'TaskScheduled')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'MapIterationStarted')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'MapIterationSucceeded')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'ExecutionStarted')).toHaveLength(1);
    expect(events.some((e) => 'localTask' in e)).toBe(false);
  });

  it("leaves the other Map branches waiting on their tokens when one branch's wait fails", async () => {
    const { sfn, sent, arn } = harness();
    const run = await sfn.startExecution({
      stateMachineArn: arn('Fanout'),
      name: 'fanout-2',
      input: '{"orderId":"g"}',
    });
    await eventually(async () => (sent.length === 2 ? true : undefined));
    const tokens = new Map(sent.map((s) => [s.orderId, s.token]));
    await sfn.sendTaskFailure({
      taskToken: String(tokens.get('x')),
      error: 'PickRejected',
      cause: 'damaged',
    });
    await sfn.idle();
    expect(sfn.tokens.waiting(run.executionArn).map((w) => w.token)).toEqual([tokens.get('y')]);
    await sfn.sendTaskSuccess({ taskToken: String(tokens.get('y')), output: '{"picked":"y"}' });
    const done = await finished(sfn, run.executionArn);
    expect(JSON.parse(String(done.output))).toEqual([
      { id: 'x', error: { Error: 'PickRejected', Cause: 'damaged' } },
      { picked: 'y' },
    ]);
    await sfn.shutdown();
  });

  it('refuses, retryably, an answer to a wait the resumed run never reached (its definition changed)', async () => {
    const before = harness();
    const run = await before.sfn.startExecution({
      stateMachineArn: before.arn('Timed'),
      name: 'changed-1',
      input: '{"orderId":"c"}',
    });
    await eventually(async () => (before.sent.length === 1 ? true : undefined));
    const oldToken = String(before.sent[0]?.token);
    await before.sfn.shutdown();

    // The new definition asks with another input: the recorded wait is not this run's.
    const request = pickRequest('$.orderId');
    const changed: AslDefinition = {
      ...timed,
      States: {
        ...timed.States,
        Wait: {
          ...(timed.States.Wait as AslState),
          Parameters: { Entries: [{ ...request.Parameters.Entries[0], Source: 'v2' }] },
          TimeoutSeconds: 30,
        },
      },
    };
    const after = harness({ Timed: changed });
    await after.sfn.resumeInterrupted();
    await after.sfn.resumed();
    await eventually(async () => (after.sent.length === 1 ? true : undefined));
    // Expected at once: the refusal may come before the second answer returns.
    const refused = expect(
      after.sfn.sendTaskSuccess({ taskToken: oldToken, output: '{}' }),
    ).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    await after.sfn.sendTaskSuccess({ taskToken: String(after.sent[0]?.token), output: '{"picked":true}' });
    await refused;
    expect((await finished(after.sfn, run.executionArn)).status).toBe('SUCCEEDED');
    await after.sfn.shutdown();
  });

  it('keeps a resumed wait to the deadline it had before the stop', async () => {
    const before = harness();
    const run = await before.sfn.startExecution({
      stateMachineArn: before.arn('Timed'),
      name: 'timed-1',
      input: '{"orderId":"t"}',
    });
    await eventually(async () => (before.sent.length === 1 ? true : undefined));
    const [waited] = before.sfn.tokens.waiting(run.executionArn);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await before.sfn.shutdown();

    const after = harness();
    await after.sfn.resumeInterrupted();
    await after.sfn.resumed();
    const [resumed] = after.sfn.tokens.waiting(run.executionArn);
    // The same deadline (to the journal's millisecond), not a fresh eight seconds from the resume.
    expect(resumed?.token).toBe(waited?.token);
    expect(Math.abs(Number(resumed?.deadline) - Number(waited?.deadline))).toBeLessThan(100);
    const done = await finished(after.sfn, run.executionArn, 20_000);
    expect(JSON.parse(String(done.output)).error.Error).toBe('States.Timeout');
    // Lets the final journal write land before the suite stops DynamoDB Local.
    await after.sfn.shutdown();
  });

  it('redrives a failed execution from the step that failed (RedriveExecution): the steps that succeeded are not run again, and it finishes with the same ARN', async () => {
    const { sfn, invoked, failing, arn } = harness();
    failing.add('charge');
    const { executionArn } = await sfn.startExecution({
      stateMachineArn: arn('Flaky'),
      name: 'redrive-1',
      input: '{}',
    });
    expect(await finished(sfn, executionArn)).toMatchObject({ status: 'FAILED', error: 'Boom' });
    expect(invoked.filter((f) => f === 'charge')).toHaveLength(2);
    await expect(sfn.redriveExecution({ executionArn: `${executionArn}-nope` })).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });

    failing.delete('charge');
    await sfn.redriveExecution({ executionArn });
    const done = await finished(sfn, executionArn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(JSON.parse(String(done.output))).toEqual({ charged: 'x' });
    expect(invoked.filter((f) => f === 'prepare')).toHaveLength(1);
    expect(invoked.filter((f) => f === 'charge')).toHaveLength(3);
    const { events } = await sfn.getExecutionHistory({ executionArn });
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['ExecutionFailed', 'ExecutionRedriven', 'ExecutionSucceeded']),
    );
    await expect(sfn.redriveExecution({ executionArn })).rejects.toMatchObject({
      name: 'ExecutionNotRedrivable',
    });
    await sfn.shutdown();
  });

  it('serves at once at a start with 1,000 waiting executions, resumes them in the background, each waiting again on its own token, and an answer to one not yet back waits for it', async () => {
    const before = harness();
    const count = 1_000;
    const queue = Array.from({ length: count }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          await before.sfn.startExecution({
            stateMachineArn: before.arn('Patient'),
            name: `crowd-${i}`,
            input: `{"orderId":"c${i}"}`,
          });
        }
      }),
    );
    await eventually(async () => (before.sent.length === count ? true : undefined), 60_000, 50);
    await before.sfn.shutdown();

    const after = harness();
    const started = performance.now();
    expect(await after.sfn.resumeInterrupted()).toBeGreaterThanOrEqual(count);
    // Only the listing is waited for. The bench measures the start (target < 10 s on 2 cores);
    // the test holds a budget a loaded CI machine keeps.
    expect(performance.now() - started).toBeLessThan(10_000);
    const last = before.sent.at(-1);
    if (!last) throw new Error('no task token was sent');
    // Answered before its execution may be back: the answer waits for the resume instead of failing.
    await after.sfn.sendTaskSuccess({ taskToken: last.token, output: '{"packed":true}' });
    await after.sfn.resumed();
    expect(performance.now() - started).toBeLessThan(60_000);
    const answered = await finished(
      after.sfn,
      `arn:aws:states:us-east-1:000000000000:execution:Patient:crowd-${last.orderId.slice(1)}`,
    );
    expect(answered.status).toBe('SUCCEEDED');
    const waiting = after.sfn.tokens.waiting(
      `arn:aws:states:us-east-1:000000000000:execution:Patient:crowd-7`,
    );
    expect(waiting).toEqual([expect.objectContaining({ stateName: 'RequestPick' })]);
    await after.sfn.shutdown();
  }, 120_000);
});
