import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { LOCAL_REGION, type LocalTemplate } from './template';

/** A function error as Lambda reports it: `name` is the errorType Step Functions matches on. */
export class LambdaInvocationError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export interface LambdaSpec {
  logicalId: string;
  functionName: string;
  functionArn: string;
  file: string;
  exportName: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memorySize: number;
  /** ReservedConcurrentExecutions: invocations beyond it are throttled, as on Lambda. */
  reservedConcurrency?: number;
  logGroupName: string;
}

/** OMS_PROFILE_DIR=<dir>: every function worker writes a V8 CPU profile there when it ends. */
function profileArgs(): string[] {
  const dir = process.env.OMS_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  /** The worker running it: when that worker dies, only its own invocations fail. */
  worker: Worker;
}

/**
 * One function of the template, run from its bundled asset in a worker thread with the
 * environment the template gives it (so functions never see each other's settings).
 * A timed-out invocation retires its worker, as Lambda recycles a timed-out container: new
 * invocations go to a fresh worker, and the old one ends once the calls it still runs are done
 * (on Lambda those would be other containers, untouched by the timeout).
 */
export class LocalLambda {
  private worker: Worker | undefined;
  private readonly pending = new Map<string, Pending>();
  private stopped = false;
  private fault: { from: number; to: number; error: string; calls: number } | undefined;
  private readonly billed = { invocations: 0, billedMs: 0 };

  constructor(
    readonly spec: LambdaSpec,
    private readonly log: Writable,
  ) {}

  private start(): Worker {
    // Node runs the worker's TypeScript itself (type stripping); no loader, so the bundle runs as on Lambda.
    const worker = new Worker(new URL('./lambda-worker.ts', import.meta.url), {
      execArgv: ['--disable-warning=ExperimentalWarning', ...profileArgs()],
      env: this.spec.environment,
      stdout: true,
      stderr: true,
      workerData: {
        file: this.spec.file,
        exportName: this.spec.exportName,
        functionName: this.spec.functionName,
        functionArn: this.spec.functionArn,
        memoryLimitInMB: this.spec.memorySize,
        logGroupName: this.spec.logGroupName,
      },
    });
    const forward = (chunk: Buffer) => this.log.write(chunk);
    worker.stdout.on('data', forward);
    worker.stderr.on('data', forward);
    worker.on(
      'message',
      (message: { id: string; ok: boolean; result?: unknown; error?: { name: string; message: string } }) => {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        clearTimeout(pending.timer);
        this.endIfRetired(worker);
        if (message.ok) pending.resolve(message.result);
        else
          pending.reject(
            new LambdaInvocationError(message.error?.name ?? 'Error', message.error?.message ?? ''),
          );
      },
    );
    worker.on('error', (error) =>
      this.failAll(worker, new LambdaInvocationError('Runtime.ExitError', error.message)),
    );
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(
        worker,
        new LambdaInvocationError('Runtime.ExitError', `${this.spec.functionName} exited`),
      );
    });
    worker.unref();
    return worker;
  }

  private failAll(worker: Worker, error: Error): void {
    for (const [id, pending] of this.pending) {
      if (pending.worker !== worker) continue;
      clearTimeout(pending.timer);
      pending.reject(error);
      this.pending.delete(id);
    }
  }

  /** Ends a retired worker once nothing runs on it any more. */
  private endIfRetired(worker: Worker): void {
    if (worker === this.worker) return;
    if ([...this.pending.values()].some((p) => p.worker === worker)) return;
    void worker.terminate();
  }

  /** Whether the function has a worker now (it gets one at its first call). */
  get started(): boolean {
    return this.worker !== undefined;
  }

  /**
   * Test-only fault switch: counting from now, calls `onCall` to `onCall + times - 1` fail as if
   * the handler threw an error named `error`, so tests can break one step of a workflow on purpose.
   */
  injectFault({ onCall = 1, times = Number.POSITIVE_INFINITY, error = 'InjectedFault' } = {}): void {
    this.fault = { from: onCall, to: onCall + times, error, calls: 0 };
  }

  clearFault(): void {
    this.fault = undefined;
  }

  /** Invokes the function synchronously (RequestResponse) and returns its result. */
  invoke(event: unknown): Promise<unknown> {
    if (this.stopped)
      return Promise.reject(
        new LambdaInvocationError('Lambda.ServiceException', 'The local cloud has stopped'),
      );
    if (this.fault) {
      const call = ++this.fault.calls;
      if (call >= this.fault.from && call < this.fault.to)
        return Promise.reject(
          new LambdaInvocationError(
            this.fault.error,
            `${this.spec.functionName}: injected fault on call ${call}`,
          ),
        );
    }
    const limit = this.spec.reservedConcurrency;
    if (limit !== undefined && this.pending.size >= limit) {
      return Promise.reject(new LambdaInvocationError('TooManyRequestsException', 'Rate Exceeded.'));
    }
    this.worker ??= this.start();
    const worker = this.worker;
    const id = randomUUID();
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    this.billed.invocations++;
    const began = performance.now();
    // Lambda bills each invocation's duration rounded up to the millisecond, failures and timeouts too.
    const bill = () => {
      this.billed.billedMs += Math.ceil(performance.now() - began);
    };
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new LambdaInvocationError(
            'Sandbox.Timedout',
            `Task timed out after ${this.spec.timeoutSeconds} seconds`,
          ),
        );
        if (this.worker === worker) this.worker = undefined;
        this.endIfRetired(worker);
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, worker });
      worker.postMessage({ id, event, deadline: Date.now() + timeoutMs });
    }).finally(bill);
  }

  /** Invocations so far and their billed milliseconds (the hop to the worker included: a bound from above). */
  usage(): { invocations: number; billedMs: number; memorySize: number } {
    return { ...this.billed, memorySize: this.spec.memorySize };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const workers = new Set([this.worker, ...[...this.pending.values()].map((p) => p.worker)]);
    this.worker = undefined;
    await Promise.all([...workers].map((w) => w?.terminate()));
  }
}

/**
 * Settings every local function gets on top of its template environment, like Lambda's reserved
 * variables; the cloud's own (endpoints, credentials) last.
 */
export function runtimeEnvironment(
  functionName: string,
  memorySize: number,
  cloudEnvironment: Record<string, string>,
  appId: string,
) {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    // The SDK puts it in its user agent: the local DynamoDB meter tells the callers apart by it.
    AWS_SDK_UA_APP_ID: appId,
    ...cloudEnvironment,
  };
}

/**
 * A short user-agent app id per function (`f<n>`, by template order), and the function each names.
 * Why not the logical id: Powertools appends its own 42 characters to AWS_SDK_UA_APP_ID, and past
 * 50 the SDK warns on every request (a console line per DynamoDB call, ~90 per order).
 */
export function functionAppIds(template: LocalTemplate): Map<string, string> {
  return new Map(
    template.resourcesOfType('AWS::Lambda::Function').map(({ logicalId }, i) => [logicalId, `f${i}`]),
  );
}

/** Every function of the template, ready to invoke from its bundled code. */
export function templateLambdas(
  template: LocalTemplate,
  cloudEnvironment: Record<string, string>,
  log: Writable,
  appIds = functionAppIds(template),
): Map<string, LocalLambda> {
  const lambdas = new Map<string, LocalLambda>();
  for (const { logicalId, properties } of template.resourcesOfType('AWS::Lambda::Function')) {
    const [module, exportName] = splitHandler(String(properties.Handler));
    const dir = template.assetDir(properties.Code as Record<string, unknown>);
    const file = ['.mjs', '.js', '.cjs']
      .map((ext) => path.join(dir, module + ext))
      .find((f) => existsSync(f));
    if (!file)
      throw new Error(
        `Function ${logicalId}: no ${module}.mjs/.js in ${dir} (was the app synthesized with bundling?)`,
      );
    const memorySize = Number(properties.MemorySize ?? 128);
    const variables = ((properties.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables ?? {}) as Record<string, unknown>;
    const environment = {
      ...Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)])),
      ...runtimeEnvironment(logicalId, memorySize, cloudEnvironment, appIds.get(logicalId) ?? logicalId),
    };
    const logging = properties.LoggingConfig as { LogGroup?: string } | undefined;
    const spec: LambdaSpec = {
      logicalId,
      functionName: logicalId,
      functionArn: template.arn(logicalId),
      file,
      exportName,
      environment,
      timeoutSeconds: Number(properties.Timeout ?? 3),
      memorySize,
      ...(properties.ReservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrency: Number(properties.ReservedConcurrentExecutions) }),
      logGroupName: logging?.LogGroup ?? `/aws/lambda/${logicalId}`,
    };
    lambdas.set(logicalId, new LocalLambda(spec, log));
  }
  return lambdas;
}

function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  if (dot < 1) throw new Error(`Handler ${handler} is not of the form file.export`);
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}

/** Finds a function by the name or ARN a caller (Step Functions, EventBridge) uses for it. */
export function findLambda(lambdas: Map<string, LocalLambda>, nameOrArn: string): LocalLambda | undefined {
  const name = nameOrArn.startsWith('arn:') ? (nameOrArn.split(':')[6] ?? '') : nameOrArn;
  return lambdas.get(name);
}
