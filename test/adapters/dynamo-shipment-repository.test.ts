import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoShipmentRepository } from '../../shared/adapters/aws/dynamo-shipment-repository';
import { applyTracking, markShipped, requestPick, type ShipmentRecord } from '../../shared/domain/shipment';
import { TABLE, useOmsTable } from '../support/oms-table';

const table = useOmsTable();

/** The table's client, counting the commands sent through it by name. */
function counted(db: DynamoDBDocumentClient) {
  const sent: string[] = [];
  const client = {
    send: (command: { constructor: { name: string } }) => {
      sent.push(command.constructor.name);
      return db.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, sent };
}

const at = '2026-12-07T10:00:00.000Z';
const quote = { carrier: 'acme', service: 'ground', level: 'standard' as const, amount: 900, transitDays: 2 };

async function labelled(repository: DynamoShipmentRepository, id: string, trackingNumber: string) {
  const requested = requestPick(
    { id, orderId: 'O1', locationId: 'wh', lines: [{ sku: 'TEE', quantity: 1 }] },
    at,
    4,
  );
  await repository.create(requested);
  const packed: ShipmentRecord = { ...requested, status: 'PACKED', version: requested.version + 1 };
  await repository.update(packed);
  const shipped = markShipped(packed, { quote, trackingNumber, labelRef: `label-${id}` }, at);
  await repository.update(shipped, { labelled: true });
  return shipped;
}

describe('DynamoShipmentRepository', () => {
  it("reads a tracking number's pointer once per container, then only the shipment, always fresh: a parcel's later scans cost one read, not two", async () => {
    const setUp = new DynamoShipmentRepository(table.db, TABLE);
    const shipped = await labelled(setUp, 'O1-1', '1Z-CACHE-1');
    const { client, sent } = counted(table.db);
    const repository = new DynamoShipmentRepository(client, TABLE);

    expect((await repository.byTrackingNumber('acme', '1Z-CACHE-1'))?.id).toBe('O1-1');
    expect(sent).toEqual(['GetCommand', 'GetCommand']);
    // Another container moves the shipment on: this one still reads the shipment as it is now.
    const scanned = applyTracking(
      shipped,
      { carrier: 'acme', eventId: 'e1', status: 'in_transit', occurredAt: at },
      at,
    );
    await setUp.update(scanned.shipment);
    const again = await repository.byTrackingNumber('acme', '1Z-CACHE-1');
    expect(again?.tracking).toBe('in_transit');
    expect(sent).toEqual(['GetCommand', 'GetCommand', 'GetCommand']);
    // A number no shipment has is asked again each time (a label bought since would be found).
    expect(await repository.byTrackingNumber('acme', '1Z-UNKNOWN')).toBeUndefined();
    expect(await repository.byTrackingNumber('acme', '1Z-UNKNOWN')).toBeUndefined();
    expect(sent).toHaveLength(5);
  });
});
