import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { BulkJobStore, Page } from '../../application/ports';
import type { BulkJob } from '../../domain/bulk-jobs';
import { conditionFailed } from './dynamo-errors';
import { listedItem, recordOf } from './order-item';
import { newestListed } from './query-pages';

const ENTITY = 'BULK_JOB';
const jobKey = (id: string) => ({ pk: `BULKJOB#${id}`, sk: 'BULKJOB' });

const toJob = (item: Record<string, unknown>) => recordOf<BulkJob>(item);

/** Bulk jobs in the single table, listed newest first through the by-entity index. */
export class DynamoBulkJobStore implements BulkJobStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private put(job: BulkJob, condition: string, values: Record<string, unknown> = {}) {
    return this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: listedItem(jobKey(job.id), { entity: ENTITY, sortKey: `${job.createdAt}#${job.id}` }, job),
        ConditionExpression: condition,
        ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
      }),
    );
  }

  async create(job: BulkJob): Promise<boolean> {
    try {
      await this.put(job, 'attribute_not_exists(pk)');
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async get(id: string): Promise<BulkJob | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: jobKey(id), ConsistentRead: true }),
    );
    return Item ? toJob(Item) : undefined;
  }

  async save(job: BulkJob): Promise<void> {
    await this.put(job, 'version = :previous', { ':previous': job.version - 1 });
  }

  list(page: { limit: number; cursor?: string }): Promise<Page<BulkJob>> {
    return newestListed(this.db, this.tableName, ENTITY, {}, page, toJob);
  }
}
