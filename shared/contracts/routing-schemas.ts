import { z } from 'zod';
import { LOCATION_TYPES } from '../domain/location';
import { LocationId } from './inventory-schemas';
import { OrderIdParams, PlaceOrderBody } from './order-schemas';

const money = z.int().min(0).max(100_000_000);
const weight = z.number().min(0).max(1);
const CostModel = z.strictObject({ base: money, perKm: z.number().min(0).max(100_000), perItem: money });

/** A routing policy as PUT /routing/policy takes it (the server assigns the version). */
export const RoutingPolicyBody = z
  .strictObject({
    expectedVersion: z.int().min(1).describe('The version this change is based on (optimistic locking)'),
    filters: z.strictObject({
      activeOnly: z.boolean(),
      locationTypes: z.array(z.enum(LOCATION_TYPES)).min(1).optional(),
      maxDistanceKm: z.number().positive().max(50_000).optional(),
      excludedLocations: z.array(LocationId).max(1000).optional(),
      respectDailyCapacity: z.boolean(),
    }),
    weights: z
      .strictObject({ distance: weight, cost: weight, priority: weight })
      .refine((w) => w.distance + w.cost + w.priority > 0, 'at least one weight must be above 0'),
    costModel: z.strictObject({ default: CostModel, byLocation: z.record(LocationId, CostModel).optional() }),
    split: z.strictObject({
      preferSingleShipment: z.boolean(),
      maxShipments: z.int().min(1).max(10),
      minShipmentValue: money,
      whenUnfillable: z.enum(['backorder', 'shipPartial']),
    }),
  })
  .meta({ id: 'RoutingPolicyRequest' });

/** POST /routing/simulate: stored orders by id, or orders as placed, under a policy (default: current). */
export const SimulateRoutingBody = z
  .strictObject({
    policy: RoutingPolicyBody.omit({ expectedVersion: true }).optional(),
    orderIds: z.array(OrderIdParams.shape.id).min(1).max(100).optional(),
    orders: z.array(PlaceOrderBody).min(1).max(100).optional(),
  })
  .refine((b) => (b.orderIds === undefined) !== (b.orders === undefined), {
    message: 'give either orderIds or orders',
    path: ['orderIds'],
  })
  .meta({ id: 'SimulateRoutingRequest' });
