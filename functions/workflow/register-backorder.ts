import { type BackorderDeps, registerBackorder } from '../../shared/application/backorders';
import { backorderDeps } from '../lib/backorder-deps';
import { taskHandler } from '../lib/task-handler';

/** `.waitForTaskToken` task `{ orderId, taskToken }`: files the wait; stock events end it. */
export const createHandler = (deps: BackorderDeps) =>
  taskHandler((input: { orderId: string; taskToken: string }) => registerBackorder(deps, input));

export const handler = createHandler(backorderDeps());
