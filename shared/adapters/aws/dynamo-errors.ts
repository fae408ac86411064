/** A DynamoDB write refused by its ConditionExpression (not a transaction: those are cancelled). */
export function conditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
