import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoInventoryLedger } from '../../shared/adapters/aws/dynamo-inventory-ledger';
import { checkInvariants } from '../../shared/domain/inventory';
import type { clientsFor } from './aws-clients';
import { request } from './http';

type Aws = ReturnType<typeof clientsFor>;

/** What the inventory invariant check finds wrong across the whole ledger (empty when the books are exact). */
export async function drift(aws: Aws) {
  const ledger = new DynamoInventoryLedger(DynamoDBDocumentClient.from(aws.dynamodb), aws.tableName);
  const { levels, network, reservations } = await ledger.snapshot();
  return checkInvariants(levels, network, reservations);
}

/** A SKU's stock at each location, as GET /inventory/{sku} shows it. */
export async function stockAt(apiUrl: string, sku: string) {
  return (await request(apiUrl, 'GET', `/inventory/${sku}`)).body.locations as Array<{
    locationId: string;
    onHand: number;
    reserved: number;
  }>;
}

/** The detail-types of every event the order's activity log holds, in order. */
export async function activityTypes(apiUrl: string, orderId: string): Promise<string[]> {
  const items = (await request(apiUrl, 'GET', `/orders/${orderId}/events`)).body.items as Array<{
    type: string;
  }>;
  return items.map((e) => e.type);
}

export interface NotificationView {
  template: string;
  audience: string;
  to: string;
  body: string;
  orderId?: string;
  delivery: string;
  messageId?: string;
}

export async function notificationsFor(apiUrl: string, orderId: string): Promise<NotificationView[]> {
  const page = (await request(apiUrl, 'GET', '/notifications?limit=100')).body.items as NotificationView[];
  return page.filter((n) => n.orderId === orderId);
}

/** The execution's status and the last state it entered (its end state once it finished). */
export async function executionEnd(aws: Aws, orderId: string) {
  const { events = [] } = await aws.sfn.send(
    new GetExecutionHistoryCommand({
      executionArn: aws.executionArn(orderId),
      reverseOrder: true,
      maxResults: 1000,
    }),
  );
  const last = events.find((e) => e.stateEnteredEventDetails?.name);
  const finished = events.find(
    (e) => e.type === 'ExecutionSucceeded' || e.type === 'ExecutionFailed' || e.type === 'ExecutionAborted',
  );
  const output = finished?.executionSucceededEventDetails?.output;
  // The order workflow ends in CompleteDelivery, whose result says how the order ended.
  const completion = output
    ? (JSON.parse(output) as { completion?: { status?: string } }).completion
    : undefined;
  return {
    status: finished?.type,
    lastState: last?.stateEnteredEventDetails?.name,
    ...(completion?.status ? { completion: completion.status } : {}),
  };
}
