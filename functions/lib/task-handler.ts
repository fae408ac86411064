import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from './logger';

/** The middy chain of a non-HTTP function (workflow task, rule target): logging context; errors keep their `name` for the ASL. */
export function taskHandler<TInput, TResult>(fn: (input: TInput) => Promise<TResult>) {
  return middy<TInput, TResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(fn);
}
