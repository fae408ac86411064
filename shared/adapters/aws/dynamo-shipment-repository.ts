import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type ShipmentRepository,
  type ShipmentWait,
  type ShipmentWaitToken,
  StaleShipment,
} from '../../application/ports';
import type { ShipmentRecord } from '../../domain/shipment';
import { conditionFailed } from './dynamo-errors';
import { countUnits } from './sku-return-stats';
import { putWaitToken, readWaitToken } from './wait-tokens';

/** `<orderId>-<n>`: a shipment lives in its order's partition. */
const orderIdOf = (shipmentId: string) => shipmentId.slice(0, shipmentId.lastIndexOf('-'));
const shipmentKey = (id: string) => ({ pk: `ORDER#${orderIdOf(id)}`, sk: `SHIPMENT#${id}` });
const trackingKey = (carrier: string, trackingNumber: string) => ({
  pk: `TRACKING#${carrier}#${trackingNumber}`,
  sk: 'TRACKING',
});
const waitAttribute = (wait: ShipmentWait) => `${wait}TaskToken`;

function fromItem(item: Record<string, unknown>): ShipmentRecord {
  const { pk: _pk, sk: _sk, entity: _entity, pickTaskToken: _p, deliveryTaskToken: _d, ...shipment } = item;
  return shipment as unknown as ShipmentRecord;
}

/** Attributes a shipment record may drop again (the wait tokens beside them are not record fields). */
const OPTIONAL_FIELDS = [
  'shippingStartedAt',
  'packages',
  'rejectionReason',
  'reroutedTo',
  'carrier',
  'trackingNumber',
  'labelRef',
  'tracking',
  'captureRefusals',
  'cancellations',
] as const satisfies ReadonlyArray<keyof ShipmentRecord>;

/** Tracking numbers whose shipment a warm container remembers (a few hours of a busy carrier's parcels). */
const REMEMBERED_TRACKING_NUMBERS = 10_000;

/** Shipments in their order's partition; a tracking-number item points carriers' updates at them. */
export class DynamoShipmentRepository implements ShipmentRepository {
  /**
   * Shipment id by carrier and tracking number, as the pointer items hold them. A pointer is
   * written once, when the label is bought, and never changes (a carrier's number names one
   * parcel), so a parcel's later scans skip reading it: one request per scan instead of two. The
   * shipment itself is always read fresh. Written by hand: a Map in insertion order is the LRU.
   */
  private readonly shipmentIdByTracking = new Map<string, string>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(shipment: ShipmentRecord, waitToken?: ShipmentWaitToken): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...shipmentKey(shipment.id),
            entity: 'SHIPMENT',
            ...shipment,
            ...(waitToken ? { [waitAttribute(waitToken.wait)]: waitToken.taskToken } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async get(id: string): Promise<ShipmentRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: shipmentKey(id), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  async ofOrder(orderId: string): Promise<ShipmentRecord[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `ORDER#${orderId}`, ':prefix': 'SHIPMENT#' },
        ConsistentRead: true,
      }),
    );
    return Items.map(fromItem);
  }

  async update(
    shipment: ShipmentRecord,
    options: { labelled?: boolean; delivered?: boolean; waitToken?: ShipmentWaitToken } = {},
  ): Promise<void> {
    // Tokens are kept: the update names every attribute of the record instead of replacing the item,
    // and removes the optional ones the record no longer has (a claim for shipping given up).
    const token = options.waitToken;
    const fields = [
      ...Object.entries(shipment).filter(([name]) => name !== 'id'),
      ...(token ? [[waitAttribute(token.wait), token.taskToken] as const] : []),
    ];
    const gone = OPTIONAL_FIELDS.filter((name) => shipment[name] === undefined);
    const names = Object.fromEntries([
      ...fields.map(([name], i) => [`#f${i}`, name]),
      ...gone.map((name, i) => [`#r${i}`, name]),
    ]);
    const values = Object.fromEntries(fields.map(([, value], i) => [`:f${i}`, value]));
    const write = {
      TableName: this.tableName,
      Key: shipmentKey(shipment.id),
      UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}${
        gone.length > 0 ? ` REMOVE ${gone.map((_, i) => `#r${i}`).join(', ')}` : ''
      }`,
      ConditionExpression: '#version = :previous',
      ExpressionAttributeNames: { ...names, '#version': 'version' },
      ExpressionAttributeValues: { ...values, ':previous': shipment.version - 1 },
    };
    const pointer =
      options.labelled && shipment.trackingNumber && shipment.carrier
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...trackingKey(shipment.carrier.carrier, shipment.trackingNumber),
                  shipmentId: shipment.id,
                },
              },
            },
          ]
        : [];
    const counted = options.delivered ? countUnits(this.tableName, shipment.lines, { delivered: true }) : [];
    try {
      if (pointer.length + counted.length > 0) {
        await this.db.send(
          new TransactWriteCommand({ TransactItems: [{ Update: write }, ...pointer, ...counted] }),
        );
      } else {
        await this.db.send(new UpdateCommand(write));
      }
    } catch (error) {
      if (conditionFailed(error) || (error instanceof Error && error.name === 'TransactionCanceledException'))
        throw new StaleShipment(shipment.id);
      throw error;
    }
  }

  async byTrackingNumber(carrier: string, trackingNumber: string): Promise<ShipmentRecord | undefined> {
    const key = `${carrier}#${trackingNumber}`;
    const remembered = this.shipmentIdByTracking.get(key);
    if (remembered) return this.get(remembered);
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: trackingKey(carrier, trackingNumber),
        ConsistentRead: true,
      }),
    );
    // The same number space names return parcels, whose items point at a return instead.
    if (typeof Item?.shipmentId !== 'string') return undefined;
    this.shipmentIdByTracking.set(key, Item.shipmentId);
    if (this.shipmentIdByTracking.size > REMEMBERED_TRACKING_NUMBERS) {
      const oldest = this.shipmentIdByTracking.keys().next().value;
      if (oldest !== undefined) this.shipmentIdByTracking.delete(oldest);
    }
    return this.get(Item.shipmentId);
  }

  setWaitToken(id: string, wait: ShipmentWait, taskToken: string): Promise<void> {
    return putWaitToken(this.db, this.tableName, shipmentKey(id), waitAttribute(wait), taskToken);
  }

  waitToken(id: string, wait: ShipmentWait): Promise<string | undefined> {
    return readWaitToken(this.db, this.tableName, shipmentKey(id), waitAttribute(wait));
  }
}
