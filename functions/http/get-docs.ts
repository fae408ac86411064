import { renderApiDocsPage } from '../../shared/contracts/api-docs-page';
import { httpRoute } from '../lib/http-route';

const page = renderApiDocsPage();

export const handler = httpRoute({}, async () => ({
  statusCode: 200,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: page,
}));
