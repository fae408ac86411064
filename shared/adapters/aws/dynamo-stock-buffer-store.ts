import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StockBufferStore } from '../../application/ports';
import { type ChannelStockBuffers, noBuffers } from '../../domain/channel-stock';
import { DynamoPolicyStore } from './dynamo-policy-store';

/** A channel's buffers are a policy of that channel: every version kept, CURRENT the newest. */
export class DynamoStockBufferStore implements StockBufferStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private of(channel: string) {
    return new DynamoPolicyStore<ChannelStockBuffers>(this.db, this.tableName, {
      pk: `STOCK_BUFFERS#${channel}`,
      name: `Stock buffers of channel ${channel}`,
      fallback: noBuffers(channel),
    });
  }

  current(channel: string): Promise<ChannelStockBuffers> {
    return this.of(channel).current();
  }

  save(buffers: Omit<ChannelStockBuffers, 'version'>, expectedVersion: number): Promise<ChannelStockBuffers> {
    return this.of(buffers.channel).save(buffers, expectedVersion);
  }
}
