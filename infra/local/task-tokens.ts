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
  /** Epoch ms when it times out, if it does. */
  deadline?: number;
  /** Settles once the answer is in the journal (true) or could not be kept (false). */
  journaled: Promise<boolean>;
}

/** A task's wait: its token, the promise of the answer, and how to say the answer is journaled. */
export interface TaskWait {
  token: string;
  result: Promise<unknown>;
  journaled: (kept: boolean) => void;
}

/** Named errors a waiting task ends with; Step Functions' Catch/Retry match these names. */
function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * Task tokens of `.waitForTaskToken` tasks: each wait gets an opaque token and a promise
 * settled by SendTaskSuccess/Failure, by its TimeoutSeconds, or by a missed heartbeat. A wait
 * resumed after a restart is armed again under the token it had, until the deadline it had.
 */
export class TaskTokens {
  private readonly waiters = new Map<string, Waiter>();

  /** Arms a wait: a fresh token, or the one a resumed wait had; `deadline` is epoch ms. */
  mint(options: {
    executionArn: string;
    stateName: string;
    token?: string;
    deadline?: number;
    heartbeatSeconds?: number;
  }): TaskWait {
    const token = options.token ?? randomBytes(48).toString('base64url');
    let journaled: (kept: boolean) => void = () => {};
    const kept = new Promise<boolean>((resolve) => {
      journaled = resolve;
    });
    const result = new Promise<unknown>((resolve, reject) => {
      const waiter: Waiter = {
        executionArn: options.executionArn,
        stateName: options.stateName,
        resolve,
        reject,
        journaled: kept,
        ...(options.deadline === undefined ? {} : { deadline: options.deadline }),
        ...(options.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: options.heartbeatSeconds }),
      };
      if (options.deadline !== undefined) {
        waiter.timeout = setLongTimeout(
          () => this.settle(token, (w) => w.reject(namedError('States.Timeout', 'Task timed out'))),
          options.deadline - Date.now(),
        );
      }
      this.waiters.set(token, waiter);
      this.armHeartbeat(token, waiter);
    });
    // The answer may come before the task awaits it (a fast warehouse); that is not an unhandled failure.
    result.catch(() => {});
    return { token, result, journaled };
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

  /** Removes a wait and its timers; undefined when it is not armed. */
  private take(token: string): Waiter | undefined {
    const waiter = this.waiters.get(token);
    if (!waiter) return undefined;
    this.waiters.delete(token);
    waiter.timeout?.cancel();
    waiter.heartbeat?.cancel();
    return waiter;
  }

  private settle(token: string, action: (waiter: Waiter) => void): Promise<boolean> {
    const waiter = this.take(token);
    if (!waiter) throw new AwsServiceError('TaskDoesNotExist', 'Task does not exist anymore');
    action(waiter);
    return waiter.journaled;
  }

  /** Answers the wait; resolves true once the answer is journaled, false if it could not be kept. */
  succeed(token: string, output: unknown): Promise<boolean> {
    return this.settle(token, (w) => w.resolve(output));
  }

  fail(token: string, error = 'States.TaskFailed', cause = ''): Promise<boolean> {
    return this.settle(token, (w) => w.reject(namedError(error, cause)));
  }

  heartbeat(token: string): void {
    const waiter = this.waiters.get(token);
    if (!waiter) throw new AwsServiceError('TaskDoesNotExist', 'Task does not exist anymore');
    this.armHeartbeat(token, waiter);
  }

  /** Drops a token whose task ended another way (its call failed), if it is still armed. */
  discard(token: string): void {
    this.take(token);
  }

  /** Drops every token of an execution that was stopped, so nothing settles it later. */
  forgetExecution(executionArn: string, reason: Error): void {
    for (const [token, waiter] of this.waiters) {
      if (waiter.executionArn === executionArn) void this.settle(token, (w) => w.reject(reason));
    }
  }

  /** Tokens now waiting, for tests and ops. */
  waiting(
    executionArn?: string,
  ): Array<{ token: string; stateName: string; executionArn: string; deadline?: number }> {
    return [...this.waiters]
      .filter(([, w]) => executionArn === undefined || w.executionArn === executionArn)
      .map(([token, w]) => ({
        token,
        stateName: w.stateName,
        executionArn: w.executionArn,
        ...(w.deadline === undefined ? {} : { deadline: w.deadline }),
      }));
  }
}
