import { z } from 'zod';
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

function operation(route: ApiRoute) {
  return {
    operationId: route.operationId,
    summary: route.summary,
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
      Object.entries(route.responses).map(([status, response]) => [
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
    components: { schemas: components },
  };
}
