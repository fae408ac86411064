import { Agent, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import { close, listen, readBody } from './http-server';

/**
 * The caller of a request, from the `app/<id>` the SDK adds to its user agent (AWS_SDK_UA_APP_ID),
 * up to Powertools' own `PT/...` tag, which follows it (escaped by the SDK to `-PT-...`).
 */
const APP_ID = /(?:^|\s)app\/([^\s/-]+)/;

type Attribute = { S?: string };
type Keyed = { Key?: Record<string, Attribute>; Item?: Record<string, Attribute> };

/** What kind of item a write touches: its sort key (else partition key) up to the first `#`, like `SHIPMENT`. */
function kindOf(write: Keyed): string {
  const key = write.Key ?? write.Item ?? {};
  const value = key.sk?.S ?? key.pk?.S ?? '?';
  return value.split('#')[0] || '?';
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** Capacity units an answer reports (when its request asked, ReturnConsumedCapacity): one entry, or one per table. */
function capacityOf(answer: string): number {
  let parsed: { ConsumedCapacity?: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> };
  try {
    parsed = JSON.parse(answer);
  } catch {
    return 0;
  }
  const consumed = parsed.ConsumedCapacity;
  const entries = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return entries.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
}

/**
 * The items one DynamoDB request writes, by kind: one per put, update or delete, whether its
 * condition holds or not (AWS bills both), one per item of a batch or a transaction.
 */
function writesOf(operation: string, body: Record<string, unknown>): string[] {
  switch (operation) {
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [kindOf(body as Keyed)];
    case 'BatchWriteItem':
      return Object.values((body.RequestItems ?? {}) as Record<string, Array<Record<string, Keyed>>>)
        .flat()
        .map((request) => kindOf(request.PutRequest ?? request.DeleteRequest ?? {}));
    case 'TransactWriteItems':
      return ((body.TransactItems ?? []) as Array<Record<string, Keyed>>).flatMap((item) =>
        Object.values(item).map(kindOf),
      );
    default:
      return [];
  }
}

export interface DynamoDbMeter {
  /** The endpoint to give callers instead of DynamoDB Local's. */
  endpoint: string;
  /** Item writes so far, by caller (a function's logical id, or `LocalCloud` for its own tables). */
  writes(): Map<string, number>;
  /** The same writes by caller and item kind, keyed `caller kind`. */
  writesByKind(): Map<string, number>;
  /** Requests of every kind (reads too: DynamoDB Local's time goes per request), keyed `caller operation`. */
  requests(): Map<string, number>;
  /**
   * Capacity units consumed, by caller, as DynamoDB Local reports them to callers that ask
   * (the adapters' client asks on every call): read units and write units, what on-demand bills.
   */
  capacity(): Map<string, { readUnits: number; writeUnits: number }>;
  stop(): Promise<void>;
}

/**
 * A pass-through HTTP proxy in front of DynamoDB Local that counts item writes and requests per
 * caller, so the bench can print an order's writes and requests by stage. No library meters DynamoDB Local; its protocol is
 * one JSON POST per call, so reading the target header and body is all it takes. Off by default:
 * the hop costs a little, and only the bench asks for it.
 */
export async function startDynamoDbMeter(
  target: string,
  /** The caller an app id stands for (the local cloud gives functions short ids). */
  callerOf: (appId: string) => string = (appId) => appId,
): Promise<DynamoDbMeter> {
  const counts = new Map<string, number>();
  const byKind = new Map<string, number>();
  const requests = new Map<string, number>();
  const capacity = new Map<string, { readUnits: number; writeUnits: number }>();
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const { hostname, port } = new URL(target);
  const handler = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const body = (await readBody(incoming, Number.POSITIVE_INFINITY)) ?? Buffer.alloc(0);
    const operation = String(incoming.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    // Reads pass through unparsed.
    const kinds = WRITES.has(operation)
      ? writesOf(operation, JSON.parse(body.toString()) as Record<string, unknown>)
      : [];
    const appId = APP_ID.exec(String(incoming.headers['user-agent'] ?? ''))?.[1];
    const caller = appId ? callerOf(appId) : 'unknown';
    const call = `${caller} ${operation}`;
    requests.set(call, (requests.get(call) ?? 0) + 1);
    for (const kind of kinds) {
      counts.set(caller, (counts.get(caller) ?? 0) + 1);
      const detail = `${caller} ${kind}`;
      byKind.set(detail, (byKind.get(detail) ?? 0) + 1);
    }
    const upstream = forward(
      { hostname, port, path: incoming.url, method: incoming.method, headers: incoming.headers, agent },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const units = capacityOf(Buffer.concat(chunks).toString());
          if (units === 0) return;
          const used = capacity.get(caller) ?? { readUnits: 0, writeUnits: 0 };
          if (WRITES.has(operation)) used.writeUnits += units;
          else used.readUnits += units;
          capacity.set(caller, used);
        });
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', (error) => outgoing.writeHead(502).end(error.message));
    upstream.end(body);
  };
  const { server, url } = await listen(handler, 0);
  return {
    endpoint: url,
    writes: () => new Map(counts),
    writesByKind: () => new Map(byKind),
    requests: () => new Map(requests),
    capacity: () => new Map([...capacity].map(([caller, used]) => [caller, { ...used }])),
    stop: async () => {
      await close(server);
      agent.destroy();
    },
  };
}
