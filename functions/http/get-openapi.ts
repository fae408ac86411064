import { buildOpenApiDocument } from '../../shared/contracts/openapi';
import { httpRoute, json } from '../lib/http-route';

const document = buildOpenApiDocument();

export const handler = httpRoute({}, async () => json(200, document));
