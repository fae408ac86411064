import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, STACK_NAME } from '../../infra/app';
import { API_ROUTES } from '../../shared/contracts/api-routes';
import { EventSource } from '../../shared/domain/order-events';
import { WEBHOOK_RETRY } from '../../shared/domain/webhooks';
import { actionsOf as actionsIn, statementsOfRole } from '../support/iam';

let template: Template;

beforeAll(() => {
  const app = buildApp({ bundling: false });
  template = Template.fromStack(app.node.findChild(STACK_NAME) as never);
});

type Resources = Record<string, { Properties: Record<string, unknown> }>;

/** Logical id of the Lambda function built by the OmsFunction construct with this id. */
function functionId(name: string): string {
  const ids = Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) =>
    id.startsWith(`${name}Function`),
  );
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

/** Logical id of the queue a batched consumer reads (its BatchQueue). */
function batchQueueOf(consumer: string): string {
  const ids = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) =>
    id.startsWith(`${consumer}BatchesQueue`),
  );
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

/** Every IAM statement granted to a function's role. */
function statementsOfFunction(name: string) {
  const fn = template.findResources('AWS::Lambda::Function')[functionId(name)] as {
    Properties: { Role: { 'Fn::GetAtt': string[] } };
  };
  return statementsOfRole(template, fn.Properties.Role['Fn::GetAtt'][0] as string);
}

/** Every IAM action granted to a function's role, flattened. */
const actionsOf = (name: string): string[] => actionsIn(statementsOfFunction(name));

/** The state machine under `construct` (OrderWorkflow, ReturnWorkflow). */
function stateMachine(construct: string) {
  const found = Object.entries(template.findResources('AWS::StepFunctions::StateMachine') as Resources).find(
    ([id]) => id.startsWith(`${construct}StateMachine`),
  );
  if (!found) throw new Error(`no ${construct} state machine`);
  return found[1];
}

/** A state machine's definition, with every reference (ARNs) read as the string ARN. */
function workflowDefinition(construct = 'OrderWorkflow'): unknown {
  const machine = stateMachine(construct);
  const [, parts] = (machine.Properties.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'ARN')).join(''));
}

describe('the OMS stack', () => {
  it('has one table keyed pk/sk with the listing indexes by status, channel, customer and creation, newest first by ULID', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    const index = (name: string, key: string) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: key, KeyType: 'HASH' },
        { AttributeName: 'listSk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [
        index('byStatus', 'statusPk'),
        index('byChannel', 'channelPk'),
        index('byCustomer', 'customerPk'),
        index('byCreated', 'entityPk'),
      ],
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('routes exactly the operations of the API contract, each to a Lambda proxy integration', () => {
    const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Resources).map(
      (r) => r.Properties.RouteKey,
    );
    expect(routeKeys.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    template.allResourcesProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('runs every function on Node 22, arm64, with JSON logs and active tracing', () => {
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
    });
  });

  it('grants each function only what it uses', () => {
    const place = actionsOf('PlaceOrder');
    expect(place).toContain('states:StartExecution');
    expect(place).toContain('dynamodb:PutItem');
    expect(place).not.toContain('events:PutEvents');

    for (const reader of ['GetOrder', 'ListOrders', 'ListOrderEvents']) {
      const actions = actionsOf(reader);
      expect(actions).toContain('dynamodb:GetItem');
      expect(actions).not.toContain('dynamodb:PutItem');
      expect(actions).not.toContain('states:StartExecution');
    }

    const confirm = actionsOf('ConfirmOrder');
    expect(confirm).toContain('events:PutEvents');
    expect(confirm).toContain('dynamodb:PutItem');
    expect(confirm).not.toContain('states:StartExecution');

    expect(actionsOf('GetHealth')).not.toContain('dynamodb:GetItem');
    expect(actionsOf('GetOpenApi')).not.toContain('dynamodb:GetItem');
  });

  it('lets only the notifier send email through SES, as the configured sender address or its domain', () => {
    const withSes = Object.keys(template.findResources('AWS::Lambda::Function'))
      .map((id) => id.replace(/Function[0-9A-F]{8}$/, ''))
      .filter((name) => actionsOf(name).includes('ses:SendEmail'));
    expect(withSes).toEqual(['SendNotification']);
    const ses = statementsOfFunction('SendNotification').find((s) => s.Action === 'ses:SendEmail');
    const identities = JSON.stringify(ses?.Resource);
    expect(identities).toMatch(/:identity\/orders@example\.com"/);
    expect(identities).toMatch(/:identity\/example\.com"/);
    expect(ses?.Resource).toHaveLength(2);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          NOTIFICATION_FROM_EMAIL: 'orders@example.com',
          OPERATIONS_EMAIL: 'ops@example.com',
        }),
      },
    });
  });

  it("keeps each carrier's webhook secret in Secrets Manager, generated at deploy, readable only by the webhook function", () => {
    const secrets = template.findResources('AWS::SecretsManager::Secret') as Record<
      string,
      { Properties: { Name: string; GenerateSecretString: object }; DeletionPolicy: string }
    >;
    expect(
      Object.values(secrets)
        .map((s) => s.Properties.Name)
        .sort(),
    ).toEqual(['oms/carriers/rapidex/webhook', 'oms/carriers/swiftpost/webhook']);
    for (const secret of Object.values(secrets)) {
      expect(secret.Properties.GenerateSecretString).toMatchObject({ GenerateStringKey: 'current' });
      expect(secret.DeletionPolicy).toBe('Retain');
    }
    const readers = Object.keys(template.findResources('AWS::Lambda::Function'))
      .map((id) => id.replace(/Function[0-9A-F]{8}$/, ''))
      .filter((name) => actionsOf(name).includes('secretsmanager:GetSecretValue'));
    expect(readers).toEqual(['ReceiveCarrierWebhook']);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CARRIER_WEBHOOK_SECRET_ARNS: Match.anyValue() }) },
    });
    // No secret value anywhere in the template.
    expect(/"SecretString":|whsec_/.test(JSON.stringify(template.toJSON()))).toBe(false);
  });

  it('sets on each function exactly the settings its bindings grant', () => {
    const env = (name: string) =>
      Object.keys(
        (
          template.findResources('AWS::Lambda::Function')[functionId(name)] as {
            Properties: { Environment: { Variables: object } };
          }
        ).Properties.Environment.Variables,
      );
    expect(env('PlaceOrder')).toEqual(expect.arrayContaining(['TABLE_NAME', 'ORDER_WORKFLOW_ARN']));
    expect(env('ConfirmOrder')).toEqual(expect.arrayContaining(['TABLE_NAME', 'EVENT_BUS_NAME']));
    expect(env('GetOrder')).not.toContain('EVENT_BUS_NAME');
    expect(env('GetHealth')).not.toContain('TABLE_NAME');
  });

  it('has four Standard state machines (orders, returns, webhook retries, bulk jobs) and one Express (the order preparation), all traced and logged; each invokes only its task functions', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 5);
    const types = Object.values(template.findResources('AWS::StepFunctions::StateMachine') as Resources).map(
      (m) => m.Properties.StateMachineType,
    );
    expect(types.sort()).toEqual(['EXPRESS', 'STANDARD', 'STANDARD', 'STANDARD', 'STANDARD']);
    for (const type of ['STANDARD', 'EXPRESS']) {
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineType: type,
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      });
    }
    const statementsOf = (role: string) =>
      Object.values(template.findResources('AWS::IAM::Policy') as Resources)
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(role))
        .flatMap(
          (p) =>
            (
              p.Properties.PolicyDocument as {
                Statement: Array<{ Action: string | string[]; Resource: unknown }>;
              }
            ).Statement,
        );
    const invokedBy = (role: string) =>
      JSON.stringify(
        statementsOf(role)
          .filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'))
          .map((s) => s.Resource),
      );
    const orders = invokedBy('OrderWorkflowStateMachineRole');
    const preparation = invokedBy('OrderPreparationStateMachineRole');
    for (const task of [
      'RequestPick',
      'ShipShipment',
      'RegisterBackorder',
      'CancelOrder',
      'CompleteDelivery',
    ])
      expect(orders).toContain(functionId(task));
    for (const task of ['ConfirmOrder', 'AllocateOrder', 'RouteOrder', 'HoldAfterFailure']) {
      expect(preparation).toContain(functionId(task));
      if (task !== 'HoldAfterFailure') expect(orders).not.toContain(functionId(task));
    }
    for (const other of [
      'PlaceOrder',
      'GetOrder',
      'ListOrders',
      'RecordOrderActivity',
      'ResumeBackorders',
      'PutStock',
    ]) {
      expect(orders).not.toContain(functionId(other));
      expect(preparation).not.toContain(functionId(other));
    }
    expect(
      statementsOf('OrderPreparationStateMachineRole').some((s) =>
        [s.Action].flat().includes('events:PutEvents'),
      ),
    ).toBe(true);
    // The preparation answers the order execution's token: allowed on the order workflow, by its name.
    const answers = statementsOf('OrderPreparationStateMachineRole').filter((s) =>
      [s.Action].flat().some((a) => a === 'states:SendTaskSuccess' || a === 'states:SendTaskFailure'),
    );
    expect(JSON.stringify(answers.map((s) => s.Resource))).toContain(':stateMachine:Oms-orders');
    expect(stateMachine('OrderWorkflow').Properties.StateMachineName).toBe('Oms-orders');
    expect(
      statementsOf('OrderWorkflowStateMachineRole').some((s) =>
        [s.Action].flat().includes('states:StartExecution'),
      ),
    ).toBe(true);
  });

  it('counts at most 5 Standard state transitions on the happy path of a single-shipment order, read from the definition: no Choice on it, the burst before fulfilment in the Express preparation', () => {
    type State = { Type: string; Next?: string; End?: boolean; ItemProcessor?: Machine };
    type Machine = { StartAt: string; States: Record<string, State> };
    // Follows Next from StartAt; a Map runs its processor once (one shipment). A Choice would need data to pass.
    const happyPath = (machine: Machine): string[] => {
      const path: string[] = [];
      for (let name: string | undefined = machine.StartAt; name; ) {
        const state: State | undefined = machine.States[name];
        if (!state) throw new Error(`no state ${name}`);
        if (state.Type === 'Choice') throw new Error(`${name}: a Choice on the happy path`);
        path.push(name);
        if (state.ItemProcessor) path.push(...happyPath(state.ItemProcessor));
        name = state.End || state.Type === 'Succeed' ? undefined : state.Next;
      }
      return path;
    };
    const path = happyPath(workflowDefinition() as Machine);
    expect(path).toEqual([
      'PrepareOrder',
      'FulfilShipments',
      'RequestPick',
      'ShipAndAwaitDelivery',
      'CompleteDelivery',
    ]);
    expect(path.length).toBeLessThanOrEqual(5);
    expect(stateMachine('OrderPreparation').Properties.StateMachineType).toBe('EXPRESS');
  });

  it('defines the workflow in JSONPath with explicit task timeouts, and no Fail state: every task and the Map catch what their retries leave and hold the order for ops', () => {
    const machine = stateMachine('OrderWorkflow');
    const raw = JSON.stringify(machine?.Properties.DefinitionString);
    expect(raw).not.toContain('JSONata');
    expect(raw).toContain('\\"TimeoutSeconds\\":60');
    type State = { Type: string; Catch?: Array<{ ErrorEquals: string[]; Next: string }> };
    const top = (
      workflowDefinition() as {
        States: Record<string, State & { ItemProcessor?: { States: Record<string, State> } }>;
      }
    ).States;
    const states = { ...top, ...top.FulfilShipments?.ItemProcessor?.States };
    expect(Object.values(states).filter((s) => s.Type === 'Fail')).toEqual([]);
    const guarded = Object.entries(states).filter(
      ([name, s]) =>
        (s.Type === 'Task' || s.Type === 'Map') &&
        !name.startsWith('HoldAfter') &&
        name !== 'HoldLostShipment',
    );
    expect(guarded.length).toBeGreaterThan(15);
    for (const [name, s] of guarded) {
      const catchAll = s.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
      // A release wait's own failure is a timeout it re-arms after; any other ends in a hold too.
      if (name.startsWith('HeldBefore')) continue;
      expect(catchAll?.Next, name).toMatch(/^HoldAfter.*Failure$/);
    }
  });

  it('retries a failing webhook subscriber from a workflow started only on failure: 30 s doubling to an hour for 24 h, then gives up (disable, alert); every OMS event reaches the deliverer', () => {
    type State = {
      Type: string;
      Next?: string;
      End?: boolean;
      Retry?: Array<{
        ErrorEquals: string[];
        IntervalSeconds?: number;
        BackoffRate?: number;
        MaxDelaySeconds?: number;
        MaxAttempts?: number;
      }>;
      Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
    };
    const { StartAt, States } = workflowDefinition('WebhookWorkflow') as {
      StartAt: string;
      States: Record<string, State>;
    };
    expect(StartAt).toBe('RetryWebhookStream');
    expect(States.RetryWebhookStream?.Retry).toContainEqual({
      ErrorEquals: ['WebhookDeliveryFailed'],
      IntervalSeconds: WEBHOOK_RETRY.firstIntervalSeconds,
      BackoffRate: WEBHOOK_RETRY.backoffRate,
      MaxDelaySeconds: WEBHOOK_RETRY.maxIntervalSeconds,
      MaxAttempts: WEBHOOK_RETRY.maxRetries,
    });
    expect(States.RetryWebhookStream?.Catch).toEqual([
      expect.objectContaining({ ErrorEquals: ['WebhookDeliveryFailed'], Next: 'GiveUpWebhookStream' }),
    ]);
    expect(States.GiveUpWebhookStream?.End).toBe(true);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: Object.values(EventSource) },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [batchQueueOf('DeliverWebhooks'), 'Arn'] } })],
    });
    // Only what starts retries may start them; the retry task itself only sends.
    expect(actionsOf('DeliverWebhooks')).toContain('states:StartExecution');
    expect(actionsOf('WebhookSubscriptions')).toContain('states:StartExecution');
    expect(actionsOf('RetryWebhookStream')).not.toContain('states:StartExecution');
  });

  it('works a bulk job a page at a time until none is left, and marks it FAILED when a page fails past its retries', () => {
    type State = {
      Type: string;
      Next?: string;
      Default?: string;
      Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
    };
    const { StartAt, States } = workflowDefinition('BulkJobWorkflow') as {
      StartAt: string;
      States: Record<string, State>;
    };
    expect(StartAt).toBe('ProcessBulkJobPage');
    expect(States.ProcessBulkJobPage?.Next).toBe('MorePages');
    expect(States.MorePages?.Default).toBe('ProcessBulkJobPage');
    expect(States.ProcessBulkJobPage?.Catch).toEqual([
      expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'FailBulkJob' }),
    ]);
    expect(actionsOf('StartBulkJob')).toContain('states:StartExecution');
  });

  it('runs each return as its own execution: policy review or a wait for ops, label, a parcel wait that expires into CLOSED, restock, settle, close; no Fail state, every step catches into an alert and a wait for ops to retry it', () => {
    type State = {
      Type: string;
      Next?: string;
      Resource?: string;
      TimeoutSeconds?: number;
      Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
    };
    const { StartAt, States } = workflowDefinition('ReturnWorkflow') as {
      StartAt: string;
      States: Record<string, State>;
    };
    expect(StartAt).toBe('ReviewReturn');
    expect(Object.values(States).filter((s) => s.Type === 'Fail')).toEqual([]);
    expect(States.IssueReturnLabel?.Next).toBe('AwaitReturnParcel');
    expect(States.AwaitReturnParcel?.Resource).toContain('waitForTaskToken');
    expect(States.AwaitReturnParcel?.TimeoutSeconds).toBe(45 * 86_400);
    expect(States.AwaitReturnParcel?.Catch?.[0]).toMatchObject({
      ErrorEquals: ['States.Timeout'],
      Next: 'ExpireReturn',
    });
    expect(States.RestockReturn?.Next).toBe('SettleReturn');
    expect(States.SettleReturn?.Next).toBe('CloseReturn');
    const steps = [
      'ReviewReturn',
      'IssueReturnLabel',
      'AwaitReturnParcel',
      'RestockReturn',
      'SettleReturn',
      'CloseReturn',
      'ExpireReturn',
    ];
    for (const step of steps) {
      const catchAll = States[step]?.Catch?.at(-1);
      expect(catchAll, step).toMatchObject({ ErrorEquals: ['States.ALL'], Next: `Flag${step}Failure` });
      expect(States[`Flag${step}Failure`]?.Next).toBe(`RetryAfter${step}Failure`);
      expect(States[`RetryAfter${step}Failure`]?.Next).toBe(step);
    }
    // Each return's execution is named after it, started by the function that opens the return.
    const env = (name: string) =>
      Object.entries(template.findResources('AWS::Lambda::Function') as Resources).find(([id]) =>
        id.startsWith(`${name}Function`),
      )?.[1].Properties.Environment as { Variables: Record<string, unknown> };
    expect(Object.keys(env('RequestReturn').Variables)).toContain('RETURN_WORKFLOW_ARN');
    expect(Object.keys(env('SettleReturn').Variables)).toContain('ORDER_WORKFLOW_ARN');
  });

  it('prepares the order in the Express child (publish, confirm, allocate, route), catches how it stopped by name, then fulfils each shipment (pick wait with an SLA, re-route or backorder on rejection, ship and wait for delivery)', () => {
    type State = {
      Type: string;
      Choices?: Array<{ StringEquals: string; Next: string }>;
      Default?: string;
      Next?: string;
      End?: boolean;
      Resource?: string;
      TimeoutSeconds?: number;
      Parameters?: Record<string, unknown>;
      Retry?: Array<{ ErrorEquals: string[] }>;
      Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
    };
    type Machine = { StartAt: string; States: Record<string, State> };
    const preparation = workflowDefinition('OrderPreparation') as Machine;
    const definition = workflowDefinition() as Machine;
    // Each choice rule as status -> next state (an Or of statuses gives one entry per status).
    const next = (machine: Machine, choice: string) =>
      Object.fromEntries(
        (machine.States[choice]?.Choices ?? []).flatMap((c) =>
          ((c as { Or?: Array<{ StringEquals: string }> }).Or ?? [c]).map((r) => [r.StringEquals, c.Next]),
        ),
      );
    const catches = (state: State | undefined) => state?.Catch?.map((c) => [c.ErrorEquals.join(), c.Next]);

    // The preparation: from the top, or straight to allocation after a backorder wait.
    expect(preparation.StartAt).toBe('StartFrom');
    expect(preparation.States.StartFrom?.Default).toBe('PublishOrderPlaced');
    expect(next(preparation, 'CheckAllocation')).toEqual({
      ALLOCATED: 'RouteOrder',
      ROUTED: 'RouteOrder',
      FULFILLING: 'RouteOrder',
      SHIPPED: 'RouteOrder',
      BACKORDERED: 'AnswerOrderBackordered',
    });
    expect(preparation.States.CheckAllocation?.Default).toBe('AnswerOrderClosed');
    expect(next(preparation, 'CheckRouting')).toEqual({
      ROUTED: 'AnswerPrepared',
      FULFILLING: 'AnswerPrepared',
      SHIPPED: 'AnswerPrepared',
      BACKORDERED: 'AnswerOrderBackordered',
    });
    expect(next(preparation, 'CheckPaymentOutcome')).toEqual({ FAILED: 'AnswerPaymentDeclined' });
    expect(preparation.States.AnswerPrepared?.Resource).toBe('arn:ARN:states:::aws-sdk:sfn:sendTaskSuccess');
    expect(preparation.States.AnswerOrderBackordered?.Parameters).toMatchObject({
      Error: 'OrderBackordered',
    });
    expect(preparation.States.RouteOrder?.Retry?.flatMap((r) => r.ErrorEquals)).toContain(
      'StaleOrderVersion',
    );
    expect(preparation.States.RouteOrder?.Catch?.at(-1)?.Next).toBe('HoldAfterRouteFailure');
    expect(preparation.States.HoldAfterRouteFailure?.Next).toBe('AnswerOrderOnHold');

    // The order execution waits on the preparation's answer and routes on the error's name.
    expect(definition.StartAt).toBe('PrepareOrder');
    const prepare = definition.States.PrepareOrder;
    expect(prepare?.Resource).toBe('arn:ARN:states:::states:startExecution.waitForTaskToken');
    expect(prepare?.Next).toBe('FulfilShipments');
    const stops = [
      ['OrderOnHold', 'HeldBeforePrepare'],
      ['OrderBackordered', 'WaitForStock'],
      ['PaymentDeclined', 'OrderFailed'],
      ['OrderClosed', 'OrderClosed'],
      ['States.ALL', 'HoldAfterPrepareFailure'],
    ];
    expect(catches(prepare)).toEqual(stops);
    expect(definition.States.WaitForStock?.Next).toBe('AllocateAgain');
    expect(catches(definition.States.AllocateAgain)).toEqual(stops);
    expect(definition.States.AllocateAgain?.Parameters?.Input).toMatchObject({ from: 'allocate' });

    const map = definition.States.FulfilShipments as unknown as {
      ItemsPath: string;
      ItemProcessor: Machine;
      Next: string;
    };
    expect(map.ItemsPath).toBe('$.routing.shipments');
    expect(map.Next).toBe('CompleteDelivery');
    expect(definition.States.CompleteDelivery?.End).toBe(true);
    const shipment = map.ItemProcessor.States;
    expect(map.ItemProcessor.StartAt).toBe('RequestPick');
    expect(shipment.RequestPick?.Resource).toBe('arn:ARN:states:::lambda:invoke.waitForTaskToken');
    expect(shipment.RequestPick?.TimeoutSeconds).toBe(48 * 3600);
    // Rejected: re-route; cancelled: the branch ends; both as errors the warehouse report sends.
    expect(catches(shipment.RequestPick)).toEqual([
      ['OrderOnHold', 'HeldBeforePick'],
      ['States.Timeout', 'ReportPickSlaBreach'],
      ['ShipmentRejected', 'RerouteShipment'],
      ['ShipmentCancelled', 'ShipmentCancelled'],
      ['States.ALL', 'HoldAfterPickFailure'],
    ]);
    expect(shipment.ReportPickSlaBreach?.Next).toBe('RequestPick');
    expect(shipment.RequestPick?.Next).toBe('ShipAndAwaitDelivery');
    const ship = shipment.ShipAndAwaitDelivery;
    expect(ship?.Resource).toBe('arn:ARN:states:::lambda:invoke.waitForTaskToken');
    expect(ship?.End).toBe(true);
    expect(ship?.TimeoutSeconds).toBe(60 * 86_400);
    expect(ship?.Retry?.flatMap((r) => r.ErrorEquals)).not.toContain('States.Timeout');
    // A re-routed shipment is picked in the same branch.
    expect(shipment.RerouteShipment?.Next).toBe('CheckReroute');
    expect(shipment.FulfilReroutedShipment?.Next).toBe('RequestPick');
    // No location has the lines: wait for stock and re-route; past the backorder window, hold for ops.
    expect(shipment.CheckReroute?.Choices?.map((c) => [c.StringEquals, c.Next])).toEqual([
      ['rerouted', 'FulfilReroutedShipment'],
      ['backordered', 'WaitForShipmentStock'],
      ['cancelled', 'ShipmentCancelled'],
    ]);
    const stockWait = shipment.WaitForShipmentStock;
    expect(stockWait?.Resource).toBe('arn:ARN:states:::lambda:invoke.waitForTaskToken');
    expect(stockWait?.TimeoutSeconds).toBe(7 * 24 * 3600);
    expect(stockWait?.Next).toBe('RerouteShipment');
    expect(catches(stockWait)).toEqual([
      ['States.Timeout', 'HoldRejectedShipment'],
      ['States.ALL', 'HoldAfterShipmentStockFailure'],
    ]);
    expect(shipment.HoldRejectedShipment?.Next).toBe('HeldBeforeReroute');
  });

  it('parks every step that finds its order held on a release wait just before it, then runs the step again (before any catch-all)', () => {
    type State = {
      Resource?: string;
      Next?: string;
      Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
      ItemProcessor?: { States: Record<string, State> };
    };
    const top = (workflowDefinition() as { States: Record<string, State> }).States;
    const all = { ...top, ...top.FulfilShipments?.ItemProcessor?.States };
    const paused = {
      PrepareOrder: 'HeldBeforePrepare',
      AllocateAgain: 'HeldBeforePrepare',
      RequestPick: 'HeldBeforePick',
      ShipAndAwaitDelivery: 'HeldBeforeShip',
    };
    const heldFirst = (catchers: Array<{ ErrorEquals: string[]; Next: string }>, step: string) => {
      const held = catchers.findIndex((c) => c.ErrorEquals.includes('OrderOnHold'));
      const catchAll = catchers.findIndex((c) => c.ErrorEquals.includes('States.ALL'));
      if (catchAll >= 0) expect(held, step).toBeLessThan(catchAll);
      return catchers[held]?.Next;
    };
    for (const [step, wait] of Object.entries(paused)) {
      expect(heldFirst(all[step]?.Catch ?? [], step), step).toBe(wait);
      expect(all[wait]?.Resource).toBe('arn:ARN:states:::lambda:invoke.waitForTaskToken');
      // A released PrepareOrder or AllocateAgain prepares from the top (every step is idempotent).
      expect(all[wait]?.Next).toBe(step === 'AllocateAgain' ? 'PrepareOrder' : step);
      // A wait past the longest a task may wait files itself again.
      expect(all[wait]?.Catch).toEqual([
        expect.objectContaining({ ErrorEquals: ['States.Timeout'], Next: wait }),
      ]);
    }
    // Inside the preparation, a held order stops it at once with OrderOnHold for the parent.
    const preparation = (workflowDefinition('OrderPreparation') as { States: Record<string, State> }).States;
    for (const step of ['PublishOrderPlaced', 'ConfirmOrder', 'AllocateOrder', 'RouteOrder'])
      expect(heldFirst(preparation[step]?.Catch ?? [], step), step).toBe('AnswerOrderOnHold');
  });

  it('holds the order for ops when no delivery is reported before the delivery wait times out, then waits for the release', () => {
    type State = { Next?: string; Catch?: Array<{ ErrorEquals: string[]; Next: string }> };
    const top = (
      workflowDefinition() as {
        States: Record<string, State & { ItemProcessor?: { States: Record<string, State> } }>;
      }
    ).States;
    const map = top.FulfilShipments?.ItemProcessor?.States ?? {};
    expect(map.ShipAndAwaitDelivery?.Catch).toContainEqual(
      expect.objectContaining({ ErrorEquals: ['States.Timeout'], Next: 'HoldLostShipment' }),
    );
    expect(map.HoldLostShipment?.Next).toBe('HeldBeforeShip');
    expect(map.HeldBeforeShip?.Next).toBe('ShipAndAwaitDelivery');
  });

  it('wakes backordered orders when stock of a SKU becomes available', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['oms.inventory'],
        'detail-type': ['StockChanged'],
        detail: { data: { after: { ats: [{ numeric: ['>', 0] }] } } },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId('ResumeBackorders'), 'Arn'] } })],
    });
    expect(actionsOf('ResumeBackorders')).toContain('states:SendTaskSuccess');
    expect(actionsOf('AllocateOrder')).not.toContain('states:SendTaskSuccess');
    expect(actionsOf('PutStock')).toContain('events:PutEvents');
    expect(actionsOf('GetInventory')).not.toContain('dynamodb:PutItem');
  });

  it('sends every order event from the bus to the activity recorder, through a queue it reads in batches', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    const queue = batchQueueOf('RecordOrderActivity');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['oms.orders'] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [queue, 'Arn'] } })],
    });
  });

  it('feeds the projections (KPIs, the activity log) batches of up to 100 events gathered for up to 2 s, retrying only the events a batch failed, then dead-lettering them where their delivery failures go', () => {
    for (const consumer of ['ProjectKpis', 'RecordOrderActivity']) {
      const queue = batchQueueOf(consumer);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId(consumer) },
        EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 2,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      const deadLetters = Object.keys(template.findResources('AWS::SQS::Queue') as Resources).find((id) =>
        id.startsWith(`${consumer}DeadLetters`),
      );
      const props = (template.findResources('AWS::SQS::Queue') as Resources)[queue]?.Properties;
      expect(props?.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [deadLetters, 'Arn'] },
        maxReceiveCount: 5,
      });
      // Six times the function's timeout, so a batch still running is not handed out twice.
      const timeout = (template.findResources('AWS::Lambda::Function') as Resources)[functionId(consumer)]
        ?.Properties.Timeout as number;
      expect(props?.VisibilityTimeout).toBe(6 * timeout);
      expect(props?.SqsManagedSseEnabled).toBe(true);
    }
  });

  it('feeds the webhook senders every event through a queue too, in batches of up to 10 handed over at once (subscribers wait on them), retrying only the events a batch failed', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('DeliverWebhooks') },
      EventSourceArn: { 'Fn::GetAtt': [batchQueueOf('DeliverWebhooks'), 'Arn'] },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('authentication on AWS', () => {
  it("puts every route the contract gives audiences behind the JWT authorizer with exactly those audiences' scopes", () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Resources);
    for (const route of API_ROUTES) {
      const found = routes.find((r) => r.Properties.RouteKey === `${route.method} ${route.path}`);
      expect(found, route.operationId).toBeDefined();
      if (Array.isArray(route.access)) {
        expect(found?.Properties.AuthorizationType, route.operationId).toBe('JWT');
        expect(found?.Properties.AuthorizationScopes).toEqual(route.access.map((a) => `oms/${a}`));
      } else {
        expect(found?.Properties.AuthorizationType ?? 'NONE', route.operationId).toBe('NONE');
      }
    }
  });

  it('trusts the stack’s own Cognito user pool, whose machine clients each get only their audience and tenant scopes', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
        Audience: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('Clientops') })]),
      },
    });
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient') as Resources);
    const scopesOf = (name: string) =>
      (
        (clients.find((c) => c.Properties.ClientName === name)?.Properties.AllowedOAuthScopes ??
          []) as unknown[]
      ).map((s) => JSON.stringify(s).replace(/.*"(\/[^"]+)".*/, '$1'));
    expect(scopesOf('ops')).toEqual(['/ops']);
    expect(scopesOf('channel-web')).toEqual(['/channel', '/channel:web']);
    expect(scopesOf('warehouse-cd-sp')).toEqual(['/warehouse', '/location:cd-sp']);
    for (const c of clients) {
      expect(c.Properties.AllowedOAuthFlows).toEqual(['client_credentials']);
      expect(c.Properties.GenerateSecret).toBe(true);
    }
  });

  it('uses an issuer of your own instead of a user pool when the context names one', () => {
    const app = buildApp({
      bundling: false,
      context: { jwtIssuer: 'https://issuer.example.com/', jwtAudience: 'oms-api' },
    });
    const own = Template.fromStack(app.node.findChild(STACK_NAME) as never);
    own.resourceCountIs('AWS::Cognito::UserPool', 0);
    own.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: 'https://issuer.example.com/', Audience: ['oms-api'] },
    });
  });
});
