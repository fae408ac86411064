import { describe, expect, it } from 'vitest';
import { findLambda } from '../../infra/local/lambda';
import { useTestCloud } from '../support/test-cloud';

const env = useTestCloud();

describe('bundled functions', () => {
  it('keep the class names of the errors they throw, so the ASL can match them by name', async () => {
    const routeOrder = [...env.cloud.lambdas.keys()].find((name) => name.startsWith('RouteOrder'));
    const fn = findLambda(env.cloud.lambdas, String(routeOrder));
    const error = await fn?.invoke({ orderId: '01JNOSUCHORDER00000000000' }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('NotFoundError');
  });
});
