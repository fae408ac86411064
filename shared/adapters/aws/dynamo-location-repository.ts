import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LocationRepository } from '../../application/ports';
import type { Location } from '../../domain/location';
import { listedItem, OrderIndex, recordOf } from './order-item';
import { queryAll } from './query-pages';

const LOCATION_ENTITY = 'LOCATION';
const locationKey = (id: string) => ({ pk: `LOCATION#${id}`, sk: 'LOCATION' });

/** Locations in the single table, listed through the by-entity index. */
export class DynamoLocationRepository implements LocationRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(location: Location): Promise<{ created: boolean }> {
    const { Attributes } = await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: listedItem(
          locationKey(location.id),
          { entity: LOCATION_ENTITY, sortKey: location.id },
          location,
        ),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return { created: Attributes === undefined };
  }

  async get(id: string): Promise<Location | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: locationKey(id), ConsistentRead: true }),
    );
    return Item ? strip(Item) : undefined;
  }

  async list(): Promise<Location[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: OrderIndex.BY_CREATED.name,
      KeyConditionExpression: '#entity = :entity',
      ExpressionAttributeNames: { '#entity': OrderIndex.BY_CREATED.partitionKey },
      ExpressionAttributeValues: { ':entity': LOCATION_ENTITY },
    });
    return items.map(strip);
  }
}

const strip = (item: Record<string, unknown>) => recordOf<Location>(item);
