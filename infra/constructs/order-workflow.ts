import { ArnFormat, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type BulkJobWorkflowTasks, bulkJobWorkflowDefinition } from '../../workflows/bulk-job-workflow';
import {
  type OrderPreparationTasks,
  type OrderWorkflowTasks,
  orderPreparationDefinition,
  orderWorkflowDefinition,
} from '../../workflows/order-workflow';
import { type ReturnWorkflowTasks, returnWorkflowDefinition } from '../../workflows/return-workflow';
import { type WebhookWorkflowTasks, webhookWorkflowDefinition } from '../../workflows/webhook-workflow';

/**
 * A state machine of the OMS: Standard where executions wait days for warehouses, carriers and
 * customers; Express for a burst of steps that ends within seconds.
 */
class OmsStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(
    scope: Construct,
    id: string,
    definition: (scope: Construct) => sfn.IChainable,
    tasks: object,
    options: { type?: sfn.StateMachineType; name?: string } = {},
  ) {
    super(scope, id);
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: options.type ?? sfn.StateMachineType.STANDARD,
      ...(options.name ? { stateMachineName: options.name } : {}),
      definitionBody: sfn.DefinitionBody.fromChainable(definition(this)),
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH }),
        // Every state transition is logged, without its input and output (they carry customer data);
        // for an Express machine these logs are its only history.
        level: sfn.LogLevel.ALL,
        includeExecutionData: false,
      },
    });
    const stack = Stack.of(this);
    for (const fn of Object.values(tasks).filter((v): v is lambda.Function => v instanceof lambda.Function)) {
      const id = stack.getLogicalId(fn.node.defaultChild as CfnElement);
      Validations.of(this.stateMachine.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${id}.Arn>:*]`,
        reason:
          "The LambdaInvoke task grants its own function and that function's versions (ARN:*), as CDK's Step Functions integration always does; no other function is reachable.",
      });
    }
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing and CloudWatch Logs delivery (PutTraceSegments, logs:*Delivery*) have no resource-level permissions.',
    });
  }
}

/**
 * The order state machine: one execution per order. Named, so the preparation can be allowed to
 * answer its task tokens without a reference to it (which would make the two depend on each other).
 */
export class OrderWorkflow extends OmsStateMachine {
  static nameIn(scope: Construct): string {
    return `${Stack.of(scope).stackName}-orders`;
  }

  static arnIn(scope: Construct): string {
    return Stack.of(scope).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: OrderWorkflow.nameIn(scope),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  constructor(scope: Construct, id: string, props: OrderWorkflowTasks) {
    super(scope, id, (self) => orderWorkflowDefinition(self, props), props, {
      name: OrderWorkflow.nameIn(scope),
    });
  }
}

/** The Express child each order execution starts to publish, confirm, allocate and route it. */
export class OrderPreparation extends OmsStateMachine {
  constructor(scope: Construct, id: string, props: OrderPreparationTasks) {
    super(scope, id, (self) => orderPreparationDefinition(self, props, OrderWorkflow.arnIn(scope)), props, {
      type: sfn.StateMachineType.EXPRESS,
    });
  }
}

/** The return state machine: one execution per return (RMA). */
export class ReturnWorkflow extends OmsStateMachine {
  constructor(scope: Construct, id: string, props: ReturnWorkflowTasks) {
    super(scope, id, (self) => returnWorkflowDefinition(self, props), props);
  }
}

/** The retries of outbound webhooks: one execution per stream whose subscriber failed. */
export class WebhookWorkflow extends OmsStateMachine {
  constructor(scope: Construct, id: string, props: WebhookWorkflowTasks) {
    super(scope, id, (self) => webhookWorkflowDefinition(self, props), props);
  }
}

/** Bulk jobs: one execution per job, a page of orders at a time. */
export class BulkJobWorkflow extends OmsStateMachine {
  constructor(scope: Construct, id: string, props: BulkJobWorkflowTasks) {
    super(scope, id, (self) => bulkJobWorkflowDefinition(self, props), props);
  }
}
