import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

type Key = { pk: string; sk: string };

/** Files a workflow task token as an attribute of an existing record (a shipment, a return). */
export async function putWaitToken(
  db: DynamoDBDocumentClient,
  tableName: string,
  key: Key,
  attribute: string,
  taskToken: string,
): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET #token = :token',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#token': attribute },
      ExpressionAttributeValues: { ':token': taskToken },
    }),
  );
}

/** The task token filed under `attribute`, if any. */
export async function readWaitToken(
  db: DynamoDBDocumentClient,
  tableName: string,
  key: Key,
  attribute: string,
): Promise<string | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  const token = Item?.[attribute];
  return typeof token === 'string' ? token : undefined;
}
