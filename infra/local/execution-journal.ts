import {
  type AttributeValue,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { ensureTables, type TableSpec } from './dynamodb';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Times the local cloud restarted this execution after a stop. */
  redriveCount?: number;
}

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

/** The local cloud's own table, beside the template's: executions and their history survive restarts. */
export const JOURNAL_TABLE = 'LocalCloudExecutions';
const BY_STATE_MACHINE = 'byStateMachine';

const JOURNAL_TABLE_SPEC: TableSpec = {
  name: JOURNAL_TABLE,
  keySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  attributes: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'stateMachineArn', AttributeType: 'S' },
    { AttributeName: 'startKey', AttributeType: 'S' },
  ],
  indexes: [
    {
      IndexName: BY_STATE_MACHINE,
      KeySchema: [
        { AttributeName: 'stateMachineArn', KeyType: 'HASH' },
        { AttributeName: 'startKey', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
};

/** Executions and their history, kept in DynamoDB Local so ops can list them after a restart. */
/** An append waiting for the next group commit. */
interface Append {
  items: Array<Record<string, AttributeValue>>;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class ExecutionJournal {
  private readonly waiting: Append[] = [];
  private committing: Promise<void> | undefined;

  constructor(private readonly db: DynamoDBClient) {}

  async ensureTable(): Promise<void> {
    await ensureTables(this.db, [JOURNAL_TABLE_SPEC]);
  }

  private item(record: ExecutionRecord) {
    return marshall(
      {
        pk: record.executionArn,
        sk: 'EXECUTION',
        startKey: `${String(record.startDate).padStart(16, '0')}#${record.name}`,
        ...record,
      },
      { removeUndefinedValues: true },
    );
  }

  /** Records a new execution; false when one with that ARN already exists. */
  async create(record: ExecutionRecord): Promise<boolean> {
    try {
      await this.db.send(
        new PutItemCommand({
          TableName: JOURNAL_TABLE,
          Item: this.item(record),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async save(record: ExecutionRecord): Promise<void> {
    await this.db.send(new PutItemCommand({ TableName: JOURNAL_TABLE, Item: this.item(record) }));
  }

  async get(executionArn: string): Promise<ExecutionRecord | undefined> {
    const result = await this.db.send(
      new GetItemCommand({
        TableName: JOURNAL_TABLE,
        Key: marshall({ pk: executionArn, sk: 'EXECUTION' }),
        ConsistentRead: true,
      }),
    );
    return result.Item ? toRecord(unmarshall(result.Item)) : undefined;
  }

  /**
   * Appends history events and, when given, saves the execution record in the same batch write.
   * The events of one append share one item (split only near DynamoDB's 400 KB item limit): a
   * flush is one write however many states it covers, where an item per event made the journal
   * most of an order's writes. Resolves once the items are in DynamoDB Local.
   */
  appendHistory(executionArn: string, events: HistoryEvent[], record?: ExecutionRecord): Promise<void> {
    const items = [
      ...(record ? [this.item(record)] : []),
      ...chunksOf(events).map((chunk) =>
        marshall({
          pk: executionArn,
          sk: `EVENT#${String(chunk.firstId).padStart(8, '0')}`,
          events: chunk.json,
        }),
      ),
    ];
    return new Promise((resolve, reject) => {
      this.waiting.push({ items, resolve, reject });
      if (!this.committing) this.committing = this.commit();
    });
  }

  /**
   * Group commit: the appends of every execution that queued while the last commit was under way
   * go together, 25 items a BatchWriteItem. Under load an order's flushes then share requests with
   * other orders' (DynamoDB Local's time goes per request); alone, an append is written at once.
   * One execution's appends never meet in a commit (the runner waits for each), so no batch holds
   * one key twice.
   */
  private async commit(): Promise<void> {
    while (this.waiting.length > 0) {
      const appends = this.waiting.splice(0);
      const items = appends.flatMap((append) => append.items.map((item) => ({ item, append })));
      const failed = new Map<Append, Error>();
      const batches: Array<typeof items> = [];
      for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
      await Promise.all(
        batches.map(async (batch) => {
          try {
            await this.writeBatch(batch.map(({ item }) => item));
          } catch (error) {
            for (const { append } of batch) failed.set(append, error as Error);
          }
        }),
      );
      for (const append of appends) {
        const error = failed.get(append);
        if (error) append.reject(error);
        else append.resolve();
      }
    }
    this.committing = undefined;
  }

  private async writeBatch(items: Array<Record<string, AttributeValue>>): Promise<void> {
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const result = await this.db.send(
        new BatchWriteItemCommand({ RequestItems: { [JOURNAL_TABLE]: requests } }),
      );
      requests = (result.UnprocessedItems?.[JOURNAL_TABLE] ?? []) as typeof requests;
    }
  }

  async history(executionArn: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let startKey: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
    do {
      const result = await this.db.send(
        new QueryCommand({
          TableName: JOURNAL_TABLE,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: marshall({ ':pk': executionArn, ':prefix': 'EVENT#' }),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of result.Items ?? []) {
        const stored = unmarshall(item);
        // `event`: one event per item, as journals written before chunking hold them.
        const chunk = stored.events
          ? (JSON.parse(String(stored.events)) as HistoryEvent[])
          : [JSON.parse(String(stored.event)) as HistoryEvent];
        // A flush retried after a partial batch may have cut its chunks elsewhere: each id once.
        for (const event of chunk) if (event.id > (events.at(-1)?.id ?? 0)) events.push(event);
      }
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return events;
  }

  /** Newest first, optionally only those with one status. */
  async list(
    stateMachineArn: string,
    options: { status?: ExecutionStatus; limit: number; startKey?: Record<string, unknown> },
  ): Promise<{ records: ExecutionRecord[]; lastKey?: Record<string, unknown> }> {
    const records: ExecutionRecord[] = [];
    let startKey = options.startKey;
    do {
      const result = await this.db.send(
        new QueryCommand({
          TableName: JOURNAL_TABLE,
          IndexName: BY_STATE_MACHINE,
          KeyConditionExpression: 'stateMachineArn = :arn',
          ...(options.status
            ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
            : {}),
          ExpressionAttributeValues: marshall({
            ':arn': stateMachineArn,
            ...(options.status ? { ':status': options.status } : {}),
          }),
          ScanIndexForward: false,
          Limit: options.limit - records.length,
          ...(startKey ? { ExclusiveStartKey: marshall(startKey) } : {}),
        }),
      );
      for (const item of result.Items ?? []) records.push(toRecord(unmarshall(item)));
      startKey = result.LastEvaluatedKey ? unmarshall(result.LastEvaluatedKey) : undefined;
    } while (startKey && records.length < options.limit);
    return { records, ...(startKey ? { lastKey: startKey } : {}) };
  }
}

/** Well under DynamoDB's 400 KB item limit, leaving room for the key and attribute names. */
const MAX_CHUNK_CHARS = 300_000;

/** Consecutive runs of events whose JSON fits one item, as JSON arrays, each with its first event's id. */
function chunksOf(events: HistoryEvent[]): Array<{ firstId: number; json: string }> {
  const chunks: Array<{ firstId: number; json: string }> = [];
  let parts: string[] = [];
  let firstId = 0;
  let size = 0;
  const close = () => {
    if (parts.length > 0) chunks.push({ firstId, json: `[${parts.join(',')}]` });
    parts = [];
    size = 0;
  };
  for (const event of events) {
    const json = JSON.stringify(event);
    if (size + json.length > MAX_CHUNK_CHARS) close();
    if (parts.length === 0) firstId = event.id;
    parts.push(json);
    size += json.length + 1;
  }
  close();
  return chunks;
}

function toRecord(item: Record<string, unknown>): ExecutionRecord {
  const { pk: _pk, sk: _sk, startKey: _startKey, ...record } = item;
  return record as unknown as ExecutionRecord;
}
