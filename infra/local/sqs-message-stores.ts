import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { ensureTables, stringKeyedTable } from './dynamodb';

export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
}

export interface StoredMessage {
  queue: string;
  /** Sort key: the send time first, so a queue reads oldest first. */
  id: string;
  messageId: string;
  body: string;
  attributes?: Record<string, MessageAttribute>;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  receipt?: string;
}

export type MessageKey = Pick<StoredMessage, 'queue' | 'id'>;

/** Where a local queue keeps its messages; each call is atomic for one message. */
export interface MessageStore {
  put(message: StoredMessage): Promise<void>;
  /**
   * Every message of a queue, oldest first, read as the caller goes: a receive stops at its 10,
   * not after copying a backlog of thousands (which made each receive cost the whole queue).
   * With `visibleAt`, only the messages visible then: a receive skips those in flight without
   * yielding them (a batching poller looks every 20 ms past up to four leased batches).
   */
  messages(queue: string, filter?: { visibleAt: number }): AsyncIterable<StoredMessage>;
  /** Leases the message to `receipt` until `until` when it is visible at `now`; false when another took it. */
  lease(key: MessageKey, lease: { now: number; until: number; receipt: string }): Promise<boolean>;
  /** Deletes the message; with a receipt, only while that receipt holds it (an older one deletes nothing). */
  delete(key: MessageKey, receipt?: string): Promise<void>;
  /** Moves the message's visibility while `receipt` holds it; false when it does not. */
  setVisibleAt(key: MessageKey, receipt: string, at: number): Promise<boolean>;
}

/** The local cloud's own table for queued messages: a dead letter survives a restart, as on SQS. */
const QUEUES_TABLE = 'LocalCloudQueues';

export class DynamoMessageStore implements MessageStore {
  private constructor(private readonly db: DynamoDBClient) {}

  static async create(db: DynamoDBClient): Promise<DynamoMessageStore> {
    await ensureTables(db, [stringKeyedTable(QUEUES_TABLE, 'queue', 'id')]);
    return new DynamoMessageStore(db);
  }

  async put(message: StoredMessage): Promise<void> {
    await this.db.send(
      new PutItemCommand({
        TableName: QUEUES_TABLE,
        Item: marshall(message, { removeUndefinedValues: true }),
      }),
    );
  }

  async *messages(queue: string, filter?: { visibleAt: number }): AsyncIterable<StoredMessage> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: QUEUES_TABLE,
          KeyConditionExpression: '#queue = :queue',
          ...(filter ? { FilterExpression: 'visibleAt <= :now' } : {}),
          ExpressionAttributeNames: { '#queue': 'queue' },
          ExpressionAttributeValues: marshall({
            ':queue': queue,
            ...(filter ? { ':now': filter.visibleAt } : {}),
          }),
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: marshall(start) } : {}),
        }),
      );
      for (const item of page.Items ?? []) yield unmarshall(item) as StoredMessage;
      start = page.LastEvaluatedKey ? unmarshall(page.LastEvaluatedKey) : undefined;
    } while (start);
  }

  async lease(key: MessageKey, lease: { now: number; until: number; receipt: string }): Promise<boolean> {
    return this.conditionally(() =>
      this.db.send(
        new UpdateItemCommand({
          TableName: QUEUES_TABLE,
          Key: marshall({ queue: key.queue, id: key.id }),
          UpdateExpression: 'SET visibleAt = :until, receipt = :receipt ADD receiveCount :one',
          ConditionExpression: 'visibleAt <= :now',
          ExpressionAttributeValues: marshall({
            ':until': lease.until,
            ':receipt': lease.receipt,
            ':one': 1,
            ':now': lease.now,
          }),
        }),
      ),
    );
  }

  async delete(key: MessageKey, receipt?: string): Promise<void> {
    await this.conditionally(() =>
      this.db.send(
        new DeleteItemCommand({
          TableName: QUEUES_TABLE,
          Key: marshall({ queue: key.queue, id: key.id }),
          ...(receipt
            ? {
                ConditionExpression: 'receipt = :receipt',
                ExpressionAttributeValues: marshall({ ':receipt': receipt }),
              }
            : {}),
        }),
      ),
    );
  }

  async setVisibleAt(key: MessageKey, receipt: string, at: number): Promise<boolean> {
    return this.conditionally(() =>
      this.db.send(
        new UpdateItemCommand({
          TableName: QUEUES_TABLE,
          Key: marshall({ queue: key.queue, id: key.id }),
          UpdateExpression: 'SET visibleAt = :at',
          ConditionExpression: 'receipt = :receipt',
          ExpressionAttributeValues: marshall({ ':at': at, ':receipt': receipt }),
        }),
      ),
    );
  }

  /** False when the write's condition failed. */
  private async conditionally(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/**
 * Messages held in the local cloud's memory. For a queue a function reads through an event source
 * mapping: such a queue is a pipe between the bus and a function, as the bus's own deliveries in
 * flight are (also in memory), and here it costs DynamoDB Local nothing per message, where a kept
 * message is three writes (send, receive, delete). A stop writes what it still holds to DynamoDB
 * Local, and the next start reads it back (LocalSqs.keepHeldMessages); a crash loses it, as it
 * loses the bus's deliveries in flight.
 */
export class MemoryMessageStore implements MessageStore {
  private readonly queues = new Map<string, Map<string, StoredMessage>>();

  private of(queue: string): Map<string, StoredMessage> {
    let messages = this.queues.get(queue);
    if (!messages) {
      messages = new Map();
      this.queues.set(queue, messages);
    }
    return messages;
  }

  async put(message: StoredMessage): Promise<void> {
    // Sent in time order, so insertion order is oldest first, as the kept store's sort key.
    this.of(message.queue).set(message.id, { ...message });
  }

  async *messages(queue: string, filter?: { visibleAt: number }): AsyncIterable<StoredMessage> {
    for (const message of this.of(queue).values()) {
      if (filter && message.visibleAt > filter.visibleAt) continue;
      yield { ...message };
    }
  }

  /** How many messages a queue holds, visible or not (the mapping's idle check). */
  size(queue: string): number {
    return this.of(queue).size;
  }

  async lease(key: MessageKey, lease: { now: number; until: number; receipt: string }): Promise<boolean> {
    const message = this.of(key.queue).get(key.id);
    if (!message || message.visibleAt > lease.now) return false;
    message.visibleAt = lease.until;
    message.receipt = lease.receipt;
    message.receiveCount++;
    return true;
  }

  async delete(key: MessageKey, receipt?: string): Promise<void> {
    const messages = this.of(key.queue);
    const message = messages.get(key.id);
    if (message && (receipt === undefined || message.receipt === receipt)) messages.delete(key.id);
  }

  async setVisibleAt(key: MessageKey, receipt: string, at: number): Promise<boolean> {
    const message = this.of(key.queue).get(key.id);
    if (!message || message.receipt !== receipt) return false;
    message.visibleAt = at;
    return true;
  }
}
