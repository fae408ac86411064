import { enableCompileCache } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

/** Runs inside a worker thread: one Lambda "container" of one function, with its own environment. */
interface WorkerSetup {
  file: string;
  exportName: string;
  functionName: string;
  functionArn: string;
  memoryLimitInMB: number;
  logGroupName: string;
}

interface InvokeMessage {
  id: string;
  event: unknown;
  deadline: number;
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const setup = workerData as WorkerSetup;
// Lambda applies source maps only when NODE_OPTIONS asks for them.
process.setSourceMapsEnabled((process.env.NODE_OPTIONS ?? '').includes('--enable-source-maps'));
// Every worker of every local cloud loads one of the same bundles: V8's code cache on disk (checked
// against the file's content) spares each new worker compiling its bundle again, as the tests
// start ~45 clouds. A cold start still loads and runs the bundle, as on Lambda.
enableCompileCache(path.join(tmpdir(), 'oms-lambda-compile-cache'));
const port = parentPort;
if (!port) throw new Error('lambda-worker runs in a worker thread');

const handlerPromise: Promise<Handler> = import(pathToFileURL(setup.file).href).then(
  (module: Record<string, unknown>) => {
    const handler = module[setup.exportName];
    if (typeof handler !== 'function')
      throw new Error(`${setup.file} exports no function ${setup.exportName}`);
    return handler as Handler;
  },
);
// A bundle that fails to load fails each invocation with its error (below), not the worker.
handlerPromise.catch(() => {});

port.on('message', async (message: InvokeMessage) => {
  const context = {
    awsRequestId: message.id,
    functionName: setup.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: setup.functionArn,
    memoryLimitInMB: String(setup.memoryLimitInMB),
    logGroupName: setup.logGroupName,
    logStreamName: `local/${setup.functionName}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
  };
  try {
    const handler = await handlerPromise;
    const result = await handler(message.event, context);
    port.postMessage({ id: message.id, ok: true, result: result === undefined ? null : result });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({
      id: message.id,
      ok: false,
      error: { name: e.name, message: e.message, stack: e.stack },
    });
  }
});
