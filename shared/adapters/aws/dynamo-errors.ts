/** A DynamoDB write refused by its ConditionExpression (not a transaction: those are cancelled). */
export function conditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** A transaction cancelled because one of its conditions failed. */
export function transactionConditionFailed(error: unknown): boolean {
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> } | undefined)
    ?.CancellationReasons;
  return (
    error instanceof Error &&
    error.name === 'TransactionCanceledException' &&
    (reasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed')
  );
}
