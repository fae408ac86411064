import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { LIST_SORT_KEY, OrderIndex } from '../../shared/adapters/aws/order-item';

export interface OrdersTableProps {
  /** @default RemovalPolicy.RETAIN: orders outlive a stack deletion */
  removalPolicy?: RemovalPolicy;
}

/**
 * The single table: orders, their idempotency records and external-id claims, keyed pk/sk,
 * with one sparse index per way ops list orders (status, channel, customer, all), newest first.
 */
export class OrdersTable extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: OrdersTableProps = {}) {
    super(scope, id);
    const sortKey = { name: LIST_SORT_KEY, type: dynamodb.AttributeType.STRING };
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      globalSecondaryIndexes: Object.values(OrderIndex).map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey,
      })),
    });
  }
}
