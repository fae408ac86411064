import { randomBytes } from 'node:crypto';
import { AwsServiceError } from './aws-error';
import { type LongTimer, setLongTimeout } from './long-timer';

interface Waiter {
  executionArn: string;
  stateName: string;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  timeout?: LongTimer;
  heartbeat?: LongTimer;
  heartbeatSeconds?: number;
}

/** Named errors a waiting task ends with; Step Functions' Catch/Retry match these names. */
function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * Task tokens of `.waitForTaskToken` tasks: each wait gets a fresh opaque token and a promise
 * settled by SendTaskSuccess/Failure, by its TimeoutSeconds, or by a missed heartbeat.
 */
export class TaskTokens {
  private readonly waiters = new Map<string, Waiter>();

  /** Mints a token and returns it with the promise of the task's result. */
  mint(options: {
    executionArn: string;
    stateName: string;
    timeoutSeconds?: number;
    heartbeatSeconds?: number;
  }): {
    token: string;
    result: Promise<unknown>;
  } {
    const token = randomBytes(48).toString('base64url');
    const result = new Promise<unknown>((resolve, reject) => {
      const waiter: Waiter = {
        executionArn: options.executionArn,
        stateName: options.stateName,
        resolve,
        reject,
        ...(options.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: options.heartbeatSeconds }),
      };
      if (options.timeoutSeconds !== undefined) {
        waiter.timeout = setLongTimeout(
          () => this.settle(token, (w) => w.reject(namedError('States.Timeout', 'Task timed out'))),
          options.timeoutSeconds * 1000,
        );
      }
      this.waiters.set(token, waiter);
      this.armHeartbeat(token, waiter);
    });
    // The answer may come before the task awaits it (a fast warehouse); that is not an unhandled failure.
    result.catch(() => {});
    return { token, result };
  }

  private armHeartbeat(token: string, waiter: Waiter): void {
    waiter.heartbeat?.cancel();
    if (waiter.heartbeatSeconds === undefined) return;
    waiter.heartbeat = setLongTimeout(
      () =>
        this.settle(token, (w) => w.reject(namedError('States.HeartbeatTimeout', 'No heartbeat in time'))),
      waiter.heartbeatSeconds * 1000,
    );
  }

  private settle(token: string, action: (waiter: Waiter) => void): void {
    const waiter = this.waiters.get(token);
    if (!waiter) throw new AwsServiceError('TaskDoesNotExist', 'Task does not exist anymore');
    this.waiters.delete(token);
    waiter.timeout?.cancel();
    waiter.heartbeat?.cancel();
    action(waiter);
  }

  succeed(token: string, output: unknown): void {
    this.settle(token, (w) => w.resolve(output));
  }

  fail(token: string, error = 'States.TaskFailed', cause = ''): void {
    this.settle(token, (w) => w.reject(namedError(error, cause)));
  }

  heartbeat(token: string): void {
    const waiter = this.waiters.get(token);
    if (!waiter) throw new AwsServiceError('TaskDoesNotExist', 'Task does not exist anymore');
    this.armHeartbeat(token, waiter);
  }

  /** Drops every token of an execution that was stopped, so nothing settles it later. */
  forgetExecution(executionArn: string, reason: Error): void {
    for (const [token, waiter] of this.waiters) {
      if (waiter.executionArn === executionArn) this.settle(token, (w) => w.reject(reason));
    }
  }

  /** Tokens now waiting, for tests and ops. */
  waiting(executionArn?: string): Array<{ token: string; stateName: string; executionArn: string }> {
    return [...this.waiters]
      .filter(([, w]) => executionArn === undefined || w.executionArn === executionArn)
      .map(([token, w]) => ({ token, stateName: w.stateName, executionArn: w.executionArn }));
  }
}
