/** An error the local endpoint answers in the AWS JSON protocol (`__type`), so SDK clients raise it by name. */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}
