import type { z } from 'zod';
import { Audience } from '../domain/access';
import {
  ListInventoryQuery,
  LocationIdParams,
  PageQuery,
  PutLocationBody,
  SkuParams,
  StockAdjustmentBody,
  StockCountBody,
  StockImportBody,
  StockParams,
} from './inventory-schemas';
import { KpiQuery } from './kpi-schemas';
import { MARKETPLACE_ROUTES } from './marketplace-routes';
import {
  ConsoleFileParams,
  DeadLetterQueueParams,
  LateOrdersQuery,
  ListDeadLettersQuery,
  RedriveBody,
  StoppedExecutionsQuery,
} from './ops-schemas';
import { OrderImportBody } from './order-import';
import {
  BulkJobBody,
  BulkJobParams,
  CancelOrderBody,
  EditOrderBody,
  ExportOrdersQuery,
  HoldOrderBody,
  ListOrdersQuery,
  OrderCountsQuery,
  OrderIdParams,
  PlaceOrderBody,
  ReleaseOrderBody,
  ReorderBody,
} from './order-schemas';
import {
  ApproveReturnBody,
  ListReturnsQuery,
  ReceiveReturnBody,
  RejectReturnBody,
  RequestReturnBody,
  ReturnIdParams,
  ReturnPolicyBody,
  ReturnStatsQuery,
} from './return-schemas';
import { RoutingPolicyBody, SimulateRoutingBody } from './routing-schemas';
import { CarrierParams, CarrierWebhookBody, ShipmentIdParams, WarehouseEventBody } from './shipment-schemas';
import { SUBSCRIPTION_ROUTES } from './subscription-routes';
import {
  CreateWebhookSubscriptionBody,
  ListWebhookDeliveriesQuery,
  WebhookDeliveryParams,
  WebhookSubscriptionParams,
} from './webhook-schemas';

export type RouteAccess = readonly Audience[] | 'public' | 'carrier-signature';

const { CHANNEL, OPS, WAREHOUSE } = Audience;

/** One HTTP API operation: the CDK app creates a route for each, the OpenAPI document describes each. */
export interface ApiRoute {
  operationId: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  params?: z.ZodObject;
  idempotent?: boolean;
  /**
   * Who may call it: audiences (the API's JWT authorizer requires one of their scopes, and the
   * handler checks it again with the tenant), anyone, or a carrier's HMAC signature.
   */
  access: RouteAccess;
  /** Status -> component schema id (from `.meta({ id })`) or undefined for a free-form body. */
  responses: Record<number, { description: string; schema?: string; headers?: string[] }>;
}

const problems = {
  400: { description: 'Invalid request', schema: 'Problem' },
} as const;

export const API_ROUTES: readonly ApiRoute[] = [
  {
    operationId: 'placeOrder',
    access: [CHANNEL, OPS],
    method: 'POST',
    path: '/orders',
    summary: 'Place an order; starts its workflow',
    body: PlaceOrderBody,
    idempotent: true,
    responses: {
      201: {
        description: 'The order, PENDING',
        schema: 'Order',
        headers: ['Location', 'Idempotent-Replayed'],
      },
      ...problems,
      409: {
        description: 'Same external order already placed, or same key still in flight',
        schema: 'Problem',
      },
      413: { description: 'Body too large', schema: 'Problem' },
      415: { description: 'Body is not JSON', schema: 'Problem' },
      422: { description: 'Idempotency-Key reused with a different body', schema: 'Problem' },
    },
  },
  {
    operationId: 'getOrder',
    access: [CHANNEL, OPS],
    method: 'GET',
    path: '/orders/{id}',
    summary: 'One order with its status timeline',
    params: OrderIdParams,
    responses: {
      200: { description: 'The order', schema: 'Order' },
      ...problems,
      404: { description: 'No such order', schema: 'Problem' },
    },
  },
  {
    operationId: 'listOrders',
    access: [CHANNEL, OPS],
    method: 'GET',
    path: '/orders',
    summary:
      'Orders, newest first, filtered by status, channel, customer, the days placed, SKU, customer email or external order id',
    query: ListOrdersQuery,
    responses: { 200: { description: 'A page of orders', schema: 'OrderPage' }, ...problems },
  },
  {
    operationId: 'listOrderEvents',
    access: [CHANNEL, OPS],
    method: 'GET',
    path: '/orders/{id}/events',
    summary: 'Every event published about the order, in order',
    params: OrderIdParams,
    responses: {
      200: { description: 'The order activity log' },
      ...problems,
      404: { description: 'No such order', schema: 'Problem' },
    },
  },
  {
    operationId: 'getOrderRouting',
    access: [OPS],
    method: 'GET',
    path: '/orders/{id}/routing',
    summary:
      'Why the order ships from where it does: every candidate, its scores or the filter that dropped it',
    params: OrderIdParams,
    responses: {
      200: { description: 'The stored routing decision, with an explanation in sentences' },
      ...problems,
      404: { description: 'No such order, or not routed yet', schema: 'Problem' },
    },
  },
  {
    operationId: 'countOrders',
    access: [OPS],
    method: 'GET',
    path: '/orders/counts',
    summary: 'Orders per status, of those placed in the days given (and of one channel)',
    query: OrderCountsQuery,
    responses: { 200: { description: 'A count for every status' }, ...problems },
  },
  {
    operationId: 'listLateOrders',
    access: [OPS],
    method: 'GET',
    path: '/orders/late',
    summary:
      'Orders standing in a stage past its SLA, longest first: confirmation 1 h, pick 24 h, delivery 7 days, backorder 72 h, hold 24 h (or olderThanHours)',
    query: LateOrdersQuery,
    responses: {
      200: {
        description:
          'The late orders, each with its stage, since when and its SLA; truncated when a status had more than 1,000 orders',
      },
      ...problems,
    },
  },
  {
    operationId: 'listStoppedExecutions',
    access: [OPS],
    method: 'GET',
    path: '/ops/stopped-executions',
    summary:
      'Order workflows that stopped without succeeding (failed, timed out, aborted), newest first, with the error',
    query: StoppedExecutionsQuery,
    responses: { 200: { description: 'The stopped executions' }, ...problems },
  },
  {
    operationId: 'redriveOrder',
    access: [OPS],
    method: 'POST',
    path: '/orders/{id}/redrive',
    summary:
      "Run a stopped order workflow again from the state where it stopped (Step Functions' redrive): the states it had finished are not run again",
    params: OrderIdParams,
    responses: {
      202: { description: 'The execution runs again' },
      ...problems,
      404: { description: 'No such order, or its workflow never started', schema: 'Problem' },
      409: { description: 'Its workflow is running or succeeded: nothing to redrive', schema: 'Problem' },
    },
  },
  {
    operationId: 'getOrderExecution',
    access: [OPS],
    method: 'GET',
    path: '/orders/{id}/execution',
    summary:
      "The order's workflow execution: its state machine as a graph, each state done, current, waiting on a callback, failed or not run, and the history events",
    params: OrderIdParams,
    responses: {
      200: { description: 'The execution graph and history' },
      ...problems,
      404: { description: 'No such order, or its workflow has not started', schema: 'Problem' },
    },
  },
  {
    operationId: 'requestReturn',
    access: [CHANNEL, OPS],
    method: 'POST',
    path: '/orders/{id}/returns',
    summary:
      'Open a return (RMA) of delivered units inside the return window: approved by the return policy or by ops, then a return label, receipt and inspection at the warehouse, and a refund (less any restocking fee) or an exchange',
    params: OrderIdParams,
    body: RequestReturnBody,
    idempotent: true,
    responses: {
      201: { description: 'The return, REQUESTED; its workflow has started', schema: 'Return' },
      200: {
        description: 'A replay: the return this key opened',
        schema: 'Return',
        headers: ['Idempotent-Replayed'],
      },
      ...problems,
      404: { description: 'No such order', schema: 'Problem' },
      409: { description: 'A line is not delivered yet', schema: 'Problem' },
      422: {
        description:
          'Outside the return window, more units than are left to return, or the Idempotency-Key reused with another body',
        schema: 'Problem',
      },
    },
  },
  {
    operationId: 'listReturns',
    access: [CHANNEL, OPS],
    method: 'GET',
    path: '/returns',
    summary: 'Returns, newest first, by status or order (a channel names one of its orders)',
    query: ListReturnsQuery,
    responses: {
      200: { description: 'A page of returns', schema: 'ReturnPage' },
      ...problems,
      422: { description: 'A channel listed without orderId', schema: 'Problem' },
    },
  },
  {
    operationId: 'getReturn',
    access: [CHANNEL, OPS],
    method: 'GET',
    path: '/returns/{id}',
    summary: 'One return with its label, tracking, receipt, refund or replacement order, and history',
    params: ReturnIdParams,
    responses: {
      200: { description: 'The return', schema: 'Return' },
      ...problems,
      404: { description: 'No such return', schema: 'Problem' },
    },
  },
  {
    operationId: 'approveReturn',
    access: [OPS],
    method: 'POST',
    path: '/returns/{id}/approve',
    summary: 'Approve a return the policy left to ops: the customer gets a return label',
    params: ReturnIdParams,
    body: ApproveReturnBody,
    responses: {
      200: { description: 'The return, APPROVED', schema: 'Return' },
      ...problems,
      404: { description: 'No such return', schema: 'Problem' },
      409: { description: 'Decided already', schema: 'Problem' },
    },
  },
  {
    operationId: 'rejectReturn',
    access: [OPS],
    method: 'POST',
    path: '/returns/{id}/reject',
    summary: 'Reject a return the policy left to ops, with the reason the customer is told',
    params: ReturnIdParams,
    body: RejectReturnBody,
    responses: {
      200: { description: 'The return, REJECTED', schema: 'Return' },
      ...problems,
      404: { description: 'No such return', schema: 'Problem' },
      409: { description: 'Decided already', schema: 'Problem' },
    },
  },
  {
    operationId: 'receiveReturn',
    access: [WAREHOUSE, OPS],
    method: 'POST',
    path: '/returns/{id}/receive',
    summary:
      'The warehouse the parcel came back to reports what it held, per line (resellable back on hand, damaged to quarantine), or rejects it at inspection',
    params: ReturnIdParams,
    body: ReceiveReturnBody,
    responses: {
      200: { description: 'The return, RECEIVED (or REJECTED)', schema: 'Return' },
      ...problems,
      403: { description: "Another location's return", schema: 'Problem' },
      404: { description: 'No such return', schema: 'Problem' },
      409: { description: 'Not approved yet, or received already', schema: 'Problem' },
    },
  },
  {
    operationId: 'retryReturn',
    access: [OPS],
    method: 'POST',
    path: '/returns/{id}/retry',
    summary:
      'Run again the step of a return that failed past its retries (an alert named it), once its cause is fixed',
    params: ReturnIdParams,
    responses: {
      202: { description: 'The step runs again; the return as it stands', schema: 'Return' },
      ...problems,
      404: { description: 'No such return', schema: 'Problem' },
      409: { description: 'No step of the return waits for a retry', schema: 'Problem' },
    },
  },
  {
    operationId: 'listReturnStats',
    access: [OPS],
    method: 'GET',
    path: '/return-stats',
    summary: 'Per SKU: units delivered, units asked back, by reason, and the return rate',
    query: ReturnStatsQuery,
    responses: { 200: { description: 'A page of SKUs, by SKU', schema: 'ReturnStatsPage' }, ...problems },
  },
  {
    operationId: 'getReturnPolicy',
    access: [OPS],
    method: 'GET',
    path: '/return-policy',
    summary:
      'The return policy in force (window, automatic approval, restocking fee); the product default until one is saved',
    responses: { 200: { description: 'The policy with its version' } },
  },
  {
    operationId: 'putReturnPolicy',
    access: [OPS],
    method: 'PUT',
    path: '/return-policy',
    summary: 'Save a new version of the return policy (returns keep the version they were opened under)',
    body: ReturnPolicyBody,
    responses: {
      200: { description: 'The saved policy with its new version' },
      ...problems,
      409: { description: 'expectedVersion is not the current version', schema: 'Problem' },
    },
  },
  {
    operationId: 'listOrderShipments',
    access: [CHANNEL, OPS],
    method: 'GET',
    path: '/orders/{id}/shipments',
    summary: "The order's shipments: status, carrier, tracking number and every update",
    params: OrderIdParams,
    responses: {
      200: { description: 'The shipments of the order' },
      ...problems,
      404: { description: 'No such order', schema: 'Problem' },
    },
  },
  {
    operationId: 'cancelOrder',
    access: [CHANNEL, OPS],
    method: 'POST',
    path: '/orders/{id}/cancel',
    summary:
      'Cancel the whole order, or units of some lines, until their shipment starts to leave: the stock goes back on sale, the payment hold is let go, the warehouse is asked to stop',
    params: OrderIdParams,
    body: CancelOrderBody,
    idempotent: true,
    responses: {
      200: {
        description: 'The order with the cancellation applied',
        schema: 'Order',
        headers: ['Idempotent-Replayed'],
      },
      ...problems,
      404: { description: 'No such order', schema: 'Problem' },
      409: {
        description: 'Shipped, delivered or leaving (open a return instead), or nothing left to cancel',
        schema: 'Problem',
      },
      422: { description: 'Idempotency-Key reused with a different body', schema: 'Problem' },
    },
  },
  {
    operationId: 'editOrder',
    access: [CHANNEL, OPS],
    method: 'POST',
    path: '/orders/{id}/edits',
    summary:
      'Edit an order before its pick (its lines, address or service level): re-priced, its stock re-reserved, its payment authorized for a larger total (voided down for a smaller), and routed again, in one step',
    params: OrderIdParams,
    body: EditOrderBody,
    idempotent: true,
    responses: {
      200: {
        description: 'The order with the edit applied (see its edits)',
        schema: 'Order',
        headers: ['Idempotent-Replayed'],
      },
      ...problems,
      404: { description: 'No such order', schema: 'Problem' },
      409: {
        description:
          'Not editable now (picking has begun, being prepared, past its pick, from a marketplace), or not enough stock for the new lines',
        schema: 'Problem',
      },
      422: {
        description: 'The payment was declined for the new total, or the Idempotency-Key was reused',
        schema: 'Problem',
      },
    },
  },
  {
    operationId: 'holdOrder',
    access: [OPS],
    method: 'POST',
    path: '/orders/{id}/hold',
    summary:
      'Hold an order (fraud, payment, address, ops): the workflow stops at its next step, with no pick request, capture or label, until it is released',
    params: OrderIdParams,
    body: HoldOrderBody,
    responses: {
      200: { description: 'The order, ON_HOLD, with where it stood', schema: 'Order' },
      ...problems,
      404: { description: 'No such order', schema: 'Problem' },
      409: { description: 'Shipped, delivered, cancelled, failed or already on hold', schema: 'Problem' },
    },
  },
  {
    operationId: 'releaseOrder',
    access: [OPS],
    method: 'POST',
    path: '/orders/{id}/release',
    summary:
      'Release a held order (held by ops or by the OMS itself): it goes back where it stood and its workflow resumes there',
    params: OrderIdParams,
    body: ReleaseOrderBody,
    responses: {
      200: { description: 'The order, back in the status it was held in', schema: 'Order' },
      ...problems,
      404: { description: 'No such order', schema: 'Problem' },
      409: { description: 'The order is not on hold', schema: 'Problem' },
    },
  },
  {
    operationId: 'postShipmentEvent',
    access: [WAREHOUSE, OPS],
    method: 'POST',
    path: '/shipments/{id}/events',
    summary: 'A warehouse reports a shipment picked, packed (with its packages) or rejected (with why)',
    params: ShipmentIdParams,
    body: WarehouseEventBody,
    responses: {
      200: { description: 'The shipment after the report (a repeated report changes nothing)' },
      ...problems,
      404: { description: 'No such shipment', schema: 'Problem' },
      409: { description: 'The report does not fit where the shipment is', schema: 'Problem' },
    },
  },
  {
    operationId: 'receiveCarrierWebhook',
    access: 'carrier-signature',
    method: 'POST',
    path: '/webhooks/carriers/{carrier}',
    summary:
      'Carrier tracking update, signed: OMS-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">',
    params: CarrierParams,
    body: CarrierWebhookBody,
    responses: {
      200: { description: 'Applied, recorded as history only, or a duplicate (no-op)' },
      ...problems,
      401: { description: 'Missing, malformed, wrong, stale or replayed signature', schema: 'Problem' },
      404: { description: 'Unknown carrier or tracking number', schema: 'Problem' },
    },
  },
  {
    operationId: 'putLocation',
    access: [OPS],
    method: 'PUT',
    path: '/locations/{id}',
    summary: 'Create or replace a warehouse or store',
    params: LocationIdParams,
    body: PutLocationBody,
    responses: {
      200: { description: 'Replaced' },
      201: { description: 'Created', headers: ['Location'] },
      ...problems,
    },
  },
  {
    operationId: 'getLocation',
    access: [WAREHOUSE, OPS],
    method: 'GET',
    path: '/locations/{id}',
    summary: 'One location',
    params: LocationIdParams,
    responses: {
      200: { description: 'The location' },
      ...problems,
      404: { description: 'No such location', schema: 'Problem' },
    },
  },
  {
    operationId: 'listLocations',
    access: [OPS],
    method: 'GET',
    path: '/locations',
    summary: 'Every location',
    responses: { 200: { description: 'The locations' } },
  },
  {
    operationId: 'putStock',
    access: [WAREHOUSE, OPS],
    method: 'PUT',
    path: '/inventory/{sku}/locations/{locationId}',
    summary: 'Cycle count: set on-hand units and thresholds of a SKU at a location',
    params: StockParams,
    body: StockCountBody,
    idempotent: true,
    responses: {
      200: { description: 'The stock row with its ATS', headers: ['Idempotent-Replayed'] },
      ...problems,
      404: { description: 'No such location', schema: 'Problem' },
      409: { description: 'Would leave reserved units uncovered', schema: 'Problem' },
      422: { description: 'Idempotency-Key reused with a different body', schema: 'Problem' },
    },
  },
  {
    operationId: 'adjustStock',
    access: [WAREHOUSE, OPS],
    method: 'POST',
    path: '/inventory/{sku}/locations/{locationId}/adjustments',
    summary: 'Receive or remove units of a SKU at a location',
    params: StockParams,
    body: StockAdjustmentBody,
    idempotent: true,
    responses: {
      201: { description: 'The stock row with its ATS', headers: ['Idempotent-Replayed'] },
      ...problems,
      404: { description: 'No such location', schema: 'Problem' },
      409: { description: 'Would leave reserved units uncovered', schema: 'Problem' },
      422: { description: 'Idempotency-Key reused with a different body', schema: 'Problem' },
    },
  },
  {
    operationId: 'getInventory',
    access: [CHANNEL, WAREHOUSE, OPS],
    method: 'GET',
    path: '/inventory/{sku}',
    summary: 'Network totals and per-location stock of a SKU',
    params: SkuParams,
    responses: {
      200: { description: 'Stock of the SKU' },
      ...problems,
      404: { description: 'No stock recorded', schema: 'Problem' },
    },
  },
  {
    operationId: 'listInventory',
    access: [OPS],
    method: 'GET',
    path: '/inventory',
    summary:
      'Stock rows by SKU and location, optionally one location only or only those below their threshold',
    query: ListInventoryQuery,
    responses: { 200: { description: 'A page of stock rows with their ATS' }, ...problems },
  },
  {
    operationId: 'importStock',
    access: [OPS],
    method: 'POST',
    path: '/inventory/import',
    summary:
      'Apply up to 1,000 cycle counts (JSON rows, or text/csv with columns sku,locationId,onHand,safetyStock,lowStockThreshold)',
    body: StockImportBody,
    idempotent: true,
    responses: {
      200: { description: 'Per-row results: applied, replayed or rejected with the reason' },
      ...problems,
    },
  },
  {
    operationId: 'getRoutingPolicy',
    access: [OPS],
    method: 'GET',
    path: '/routing/policy',
    summary: 'The routing policy in force (the product default until one is saved)',
    responses: { 200: { description: 'The policy with its version' } },
  },
  {
    operationId: 'putRoutingPolicy',
    access: [OPS],
    method: 'PUT',
    path: '/routing/policy',
    summary: 'Save a new version of the routing policy',
    body: RoutingPolicyBody,
    responses: {
      200: { description: 'The saved policy with its new version' },
      ...problems,
      409: { description: 'expectedVersion is not the current version', schema: 'Problem' },
    },
  },
  {
    operationId: 'simulateRouting',
    access: [OPS],
    method: 'POST',
    path: '/routing/simulate',
    summary: 'Route stored or hypothetical orders under a policy, without side effects',
    body: SimulateRoutingBody,
    responses: {
      200: { description: 'A routing decision per order; for stored orders, which would move' },
      ...problems,
    },
  },
  {
    operationId: 'listNotifications',
    access: [OPS],
    method: 'GET',
    path: '/notifications',
    summary: 'Messages sent to customers and internal teams (the outbox), newest first',
    query: PageQuery,
    responses: {
      200: {
        description:
          'A page of notifications, newest first, each with its delivery: PENDING, SENT (with the mail service message id) or FAILED (with the reason)',
      },
      ...problems,
    },
  },
  {
    operationId: 'listAlerts',
    access: [OPS],
    method: 'GET',
    path: '/alerts',
    summary: 'Alerts for ops (stock low, stock out), newest first',
    query: PageQuery,
    responses: { 200: { description: 'A page of alerts' }, ...problems },
  },
  {
    operationId: 'checkInventory',
    access: [OPS],
    method: 'GET',
    path: '/ops/inventory-check',
    summary:
      'Verify the stock books: onHand covers reservations, networks sum their locations, reservations match',
    responses: { 200: { description: 'The invariant report; ok=false lists every drift' } },
  },
  {
    operationId: 'listDeadLetters',
    access: [OPS],
    method: 'GET',
    path: '/dead-letters',
    summary:
      'Events a function gave up on after every retry, per dead-letter queue (one per function fed by events): the count and the oldest ten',
    query: ListDeadLettersQuery,
    responses: {
      200: {
        description:
          'Each queue with its approximate count and its oldest letters: stage (delivery or function), target, attempts, error, and the payload a redrive sends',
      },
      ...problems,
      404: { description: 'No such dead-letter queue', schema: 'Problem' },
    },
  },
  {
    operationId: 'redriveDeadLetters',
    access: [OPS],
    method: 'POST',
    path: '/dead-letters/{queue}/redrive',
    summary:
      "Send a queue's letters back to their function (asynchronously: its retries and dead-letter queue apply again) once the cause is fixed",
    params: DeadLetterQueueParams,
    body: RedriveBody,
    responses: {
      200: {
        description:
          'How many were sent again, and those that could not be (they stay in the queue). Letters that fail again come back as new letters.',
      },
      ...problems,
      404: { description: 'No such dead-letter queue', schema: 'Problem' },
    },
  },
  {
    operationId: 'getOpenApi',
    access: 'public',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
  },
  {
    operationId: 'getKpis',
    access: [OPS],
    method: 'GET',
    path: '/kpis',
    summary:
      'Business figures of a period (by day, UTC), of one channel or all: orders per channel per day, revenue per channel and product, time from placement to confirmed, routed, shipped and delivered (p50/p95), fill, split, backorder, cancellation, return and on-time rates, returns and their reasons per SKU',
    query: KpiQuery,
    responses: {
      200: { description: 'The figures; each rate with its numerator and denominator' },
      ...problems,
    },
  },
  {
    operationId: 'getConsole',
    access: 'public',
    method: 'GET',
    path: '/console',
    summary:
      'The ops console (a static page): orders, their execution graphs and actions, through this API with an ops token',
    responses: { 200: { description: 'HTML' } },
  },
  {
    operationId: 'getConsoleFile',
    access: 'public',
    method: 'GET',
    path: '/console/{file}',
    summary: "One of the console's built files (script, style sheet)",
    params: ConsoleFileParams,
    responses: {
      200: { description: 'The file' },
      304: { description: 'Not modified since the ETag given in If-None-Match' },
      ...problems,
      404: { description: 'No such file', schema: 'Problem' },
    },
  },
  {
    operationId: 'exportOrders',
    access: [CHANNEL, OPS],
    method: 'GET',
    path: '/orders/export',
    summary:
      "The orders the list's filters match as CSV, one row per order line, up to 500 orders a chunk (next chunk: Link rel=next)",
    query: ExportOrdersQuery,
    responses: {
      200: { description: 'text/csv', headers: ['Link', 'OMS-Next-Cursor', 'OMS-Orders'] },
      ...problems,
    },
  },
  {
    operationId: 'startBulkJob',
    access: [OPS],
    method: 'POST',
    path: '/bulk-jobs',
    summary: 'Hold, release or cancel every order a filter matches, as a job whose progress the API reads',
    body: BulkJobBody,
    idempotent: true,
    responses: {
      202: { description: 'Started', schema: 'BulkJob', headers: ['Location', 'Idempotent-Replayed'] },
      ...problems,
      422: { description: 'The Idempotency-Key was used with another body', schema: 'Problem' },
    },
  },
  {
    operationId: 'listBulkJobs',
    access: [OPS],
    method: 'GET',
    path: '/bulk-jobs',
    summary: 'Bulk jobs, newest first',
    query: PageQuery,
    responses: { 200: { description: 'A page of bulk jobs', schema: 'BulkJobPage' }, ...problems },
  },
  {
    operationId: 'getBulkJob',
    access: [OPS],
    method: 'GET',
    path: '/bulk-jobs/{id}',
    summary: "A bulk job's progress: orders matched, applied, skipped (with why) and failed",
    params: BulkJobParams,
    responses: {
      200: { description: 'The job', schema: 'BulkJob' },
      ...problems,
      404: { description: 'No such job', schema: 'Problem' },
    },
  },
  {
    operationId: 'importOrders',
    access: [CHANNEL, OPS],
    method: 'POST',
    path: '/orders/import',
    summary:
      'Place up to 50 orders from another system, each as POST /orders would, with a report per order; the same key replays',
    body: OrderImportBody,
    idempotent: true,
    responses: {
      200: {
        description:
          'placed, replayed and rejected counts, and a result per order (row, status, orderId or error)',
      },
      ...problems,
    },
  },
  {
    operationId: 'reorder',
    access: [CHANNEL, OPS],
    method: 'POST',
    path: '/orders/{id}/reorder',
    summary:
      'Order again what an earlier order still holds, at its prices, for the same customer, address, company and PO (a new PO number if given)',
    params: OrderIdParams,
    body: ReorderBody,
    idempotent: true,
    responses: {
      201: {
        description: 'The new order, PENDING; its workflow started',
        schema: 'Order',
        headers: ['Location', 'Idempotent-Replayed'],
      },
      ...problems,
      404: { description: 'No such order', schema: 'Problem' },
      409: { description: 'The Idempotency-Key is in use by a request still running', schema: 'Problem' },
      422: { description: 'The Idempotency-Key was used with another body', schema: 'Problem' },
    },
  },
  {
    operationId: 'createWebhookSubscription',
    access: [OPS],
    method: 'POST',
    path: '/webhook-subscriptions',
    summary:
      'Subscribe a URL to OMS events: each delivery signed (OMS-Signature), in order per order, retried with backoff for 24 h',
    body: CreateWebhookSubscriptionBody,
    responses: {
      201: {
        description: 'Subscribed; the secret is in this answer only',
        schema: 'CreatedWebhookSubscription',
        headers: ['Location'],
      },
      ...problems,
    },
  },
  {
    operationId: 'listWebhookSubscriptions',
    access: [OPS],
    method: 'GET',
    path: '/webhook-subscriptions',
    summary: 'Every webhook subscription',
    responses: { 200: { description: 'The subscriptions', schema: 'WebhookSubscriptionList' } },
  },
  {
    operationId: 'getWebhookSubscription',
    access: [OPS],
    method: 'GET',
    path: '/webhook-subscriptions/{id}',
    summary: 'One webhook subscription (without its secret)',
    params: WebhookSubscriptionParams,
    responses: {
      200: { description: 'The subscription', schema: 'WebhookSubscription' },
      ...problems,
      404: { description: 'No such subscription', schema: 'Problem' },
    },
  },
  {
    operationId: 'deleteWebhookSubscription',
    access: [OPS],
    method: 'DELETE',
    path: '/webhook-subscriptions/{id}',
    summary: 'Unsubscribe: nothing more is sent to it',
    params: WebhookSubscriptionParams,
    responses: {
      204: { description: 'Deleted' },
      ...problems,
      404: { description: 'No such subscription', schema: 'Problem' },
    },
  },
  {
    operationId: 'enableWebhookSubscription',
    access: [OPS],
    method: 'POST',
    path: '/webhook-subscriptions/{id}/enable',
    summary: 'Enable a subscription again (after it was disabled): what waited is sent, in order',
    params: WebhookSubscriptionParams,
    responses: {
      200: { description: 'Enabled', schema: 'WebhookSubscription' },
      ...problems,
      404: { description: 'No such subscription', schema: 'Problem' },
    },
  },
  {
    operationId: 'listWebhookDeliveries',
    access: [OPS],
    method: 'GET',
    path: '/webhook-subscriptions/{id}/deliveries',
    summary: "A subscription's delivery log, newest first, each attempt with its answer",
    params: WebhookSubscriptionParams,
    query: ListWebhookDeliveriesQuery,
    responses: {
      200: { description: 'A page of deliveries', schema: 'WebhookDeliveryPage' },
      ...problems,
      404: { description: 'No such subscription', schema: 'Problem' },
    },
  },
  {
    operationId: 'redeliverWebhook',
    access: [OPS],
    method: 'POST',
    path: '/webhook-subscriptions/{id}/deliveries/{deliveryId}/redeliver',
    summary: 'Send one delivery again now, whatever its status',
    params: WebhookDeliveryParams,
    responses: {
      200: { description: 'The delivery with this attempt', schema: 'WebhookDelivery' },
      ...problems,
      404: { description: 'No such subscription or delivery', schema: 'Problem' },
      409: { description: 'The subscription is disabled', schema: 'Problem' },
    },
  },
  ...MARKETPLACE_ROUTES,
  ...SUBSCRIPTION_ROUTES,
  {
    operationId: 'getDocs',
    access: 'public',
    method: 'GET',
    path: '/docs',
    summary: 'This document as a page to read',
    responses: { 200: { description: 'HTML' } },
  },
  {
    operationId: 'getHealth',
    access: 'public',
    method: 'GET',
    path: '/health',
    summary: 'Liveness',
    responses: { 200: { description: 'The API answers' } },
  },
];

const BY_ROUTE_KEY = new Map(API_ROUTES.map((route) => [`${route.method} ${route.path}`, route]));

/** The operation behind an API Gateway route key ("GET /orders/{id}"), if the contract has it. */
export function routeByKey(routeKey: string): ApiRoute | undefined {
  return BY_ROUTE_KEY.get(routeKey);
}
