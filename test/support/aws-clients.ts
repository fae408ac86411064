import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { LocalCloud } from '../../infra/local/local-cloud';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Unchanged SDK clients pointed at the local cloud, as an operator's tools would be. */
export function clientsFor(cloud: LocalCloud) {
  const sfn = new SFNClient({ endpoint: cloud.awsEndpoint, region: 'us-east-1', credentials });
  const events = new EventBridgeClient({ endpoint: cloud.awsEndpoint, region: 'us-east-1', credentials });
  const dynamodb = new DynamoDBClient({
    endpoint: cloud.dynamodbEndpoint,
    region: 'us-east-1',
    credentials: cloud.dynamodbCredentials,
  });
  const machines = [...cloud.stepFunctions.definitions().keys()];
  const machine = (name: string) => machines.find((arn) => arn.includes(`:stateMachine:${name}`)) ?? '';
  const stateMachineArn = machine('OrderWorkflow');
  const returnStateMachineArn = machine('ReturnWorkflow');
  const tableName = cloud.template.resourcesOfType('AWS::DynamoDB::GlobalTable')[0]?.logicalId ?? '';
  const busName = cloud.template.resourcesOfType('AWS::Events::EventBus')[0]?.logicalId ?? '';

  return {
    sfn,
    events,
    dynamodb,
    stateMachineArn,
    tableName,
    busName,
    /** The ARN of an order's execution (it is named after the order). */
    executionArn: (orderId: string) =>
      `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${orderId}`,
    /** The ARN of a return's execution (named after the return). */
    returnExecutionArn: (returnId: string) =>
      `${returnStateMachineArn.replace(':stateMachine:', ':execution:')}:${returnId}`,
    /** Every execution of the order workflow. */
    async executions() {
      const all = [];
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(
          new ListExecutionsCommand({ stateMachineArn, maxResults: 1000, nextToken }),
        );
        all.push(...(page.executions ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return all;
    },
    /** Every item in the OMS table whose pk starts with `prefix`. */
    async items(prefix = '') {
      const result = await dynamodb.send(new ScanCommand({ TableName: tableName }));
      return (result.Items ?? []).filter((item) => String(item.pk?.S ?? '').startsWith(prefix));
    },
    destroy() {
      sfn.destroy();
      events.destroy();
      dynamodb.destroy();
    },
  };
}
