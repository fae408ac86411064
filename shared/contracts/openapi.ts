import { z } from 'zod';
import { Audience, scopes } from '../domain/access';
import { API_ROUTES, type ApiRoute } from './api-routes';
import './order-schemas';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const id = z.globalRegistry.get(schema)?.id;
  if (id) return ref(id);
  const { $schema: _draft, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

function parameters(route: ApiRoute) {
  const params = [
    ...Object.entries(route.params?.shape ?? {}).map(([name, schema]) => ({
      name,
      in: 'path',
      required: true,
      schema: jsonSchema(schema as z.ZodType),
    })),
    ...Object.entries(route.query?.shape ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: !(schema as z.ZodType).safeParse(undefined).success,
      schema: jsonSchema(schema as z.ZodType),
    })),
  ];
  if (route.idempotent) {
    params.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: true,
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  return params;
}

/** OR of one requirement per audience: any one of the route's scopes lets a token in. */
function security(route: ApiRoute) {
  if (route.access === 'public') return [];
  if (route.access === 'carrier-signature') return [{ carrierSignature: [] }];
  return route.access.map((audience) => ({ oauth2: [scopes.audience(audience)] }));
}

const AUTH_PROBLEMS = {
  401: { description: 'No token, or a token that is expired, forged or for another API' },
  403: { description: 'The token is not for this audience, or not for this channel or location' },
};

function operation(route: ApiRoute) {
  const responses: ApiRoute['responses'] = Array.isArray(route.access)
    ? {
        ...route.responses,
        401: { ...AUTH_PROBLEMS[401], schema: 'Problem' },
        403: { ...AUTH_PROBLEMS[403], schema: 'Problem' },
      }
    : route.responses;
  return {
    operationId: route.operationId,
    summary: route.summary,
    security: security(route),
    parameters: parameters(route),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(route.body) } },
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(responses).map(([status, response]) => [
        status,
        {
          description: response.description,
          ...(response.headers
            ? {
                headers: Object.fromEntries(response.headers.map((h) => [h, { schema: { type: 'string' } }])),
              }
            : {}),
          ...(response.schema
            ? {
                content: {
                  [response.schema === 'Problem' ? 'application/problem+json' : 'application/json']: {
                    schema: ref(response.schema),
                  },
                },
              }
            : {}),
        },
      ]),
    ),
  };
}

const SECURITY_SCHEMES = {
  oauth2: {
    type: 'oauth2',
    description:
      'OAuth 2 client credentials. A token carries its audience scope (oms/ops, oms/channel, ' +
      'oms/warehouse) and, for channels and warehouses, the tenants it acts for ' +
      '(oms/channel:<channel>, oms/location:<locationId>). On AWS the token URL is the Cognito ' +
      "domain's /oauth2/token; locally it is the local cloud's AWS endpoint (`npm run token`).",
    flows: {
      clientCredentials: {
        tokenUrl: '/oauth2/token',
        scopes: {
          [scopes.audience(Audience.OPS)]: 'Operations: every order, stock, locations, routing, alerts',
          [scopes.audience(Audience.CHANNEL)]: "A sales channel: place and read the channel's own orders",
          [scopes.audience(Audience.WAREHOUSE)]: "A warehouse: report its own location's shipments and stock",
        },
      },
    },
  },
  carrierSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'Oms-Signature',
    description:
      't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> with the carrier\'s webhook secret',
  },
};

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operation(route);
  }
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    io: 'output',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  const components = Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _draft, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Serverless OMS',
      version: '0.1.0',
      description: 'Order management: orders from every channel, from placement to delivery.',
    },
    paths,
    components: { schemas: components, securitySchemes: SECURITY_SCHEMES },
  };
}
