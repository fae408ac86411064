import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { compileRoute, matchRoute, writeResult } from '../../../infra/local/http-api';

const routes = [
  compileRoute('GET /orders', 'list'),
  compileRoute('GET /orders/{id}', 'get'),
  compileRoute('GET /orders/special', 'special'),
  compileRoute('ANY /files/{proxy+}', 'files'),
  compileRoute('$default', 'fallback'),
];

describe('HTTP API routing', () => {
  it('prefers a literal path over a parameter, as API Gateway does', () => {
    expect(matchRoute(routes, 'GET', '/orders/special')?.route.functionArn).toBe('special');
    expect(matchRoute(routes, 'GET', '/orders/01ABC')).toMatchObject({
      route: { functionArn: 'get' },
      params: { id: '01ABC' },
    });
  });

  it('decodes path parameters and matches greedy {proxy+} paths', () => {
    expect(matchRoute(routes, 'GET', '/orders/a%20b')?.params).toEqual({ id: 'a b' });
    expect(matchRoute(routes, 'DELETE', '/files/a/b/c')).toMatchObject({
      route: { functionArn: 'files' },
      params: { proxy: 'a/b/c' },
    });
  });

  it('falls back to $default, and matches nothing without it', () => {
    expect(matchRoute(routes, 'POST', '/orders')?.route.functionArn).toBe('fallback');
    expect(matchRoute(routes.slice(0, 4), 'POST', '/orders')).toBeUndefined();
  });
});

function capture() {
  const out: { status?: number; headers?: Record<string, unknown>; body?: string } = {};
  const response = {
    writeHead: (status: number, headers: Record<string, unknown>) => {
      out.status = status;
      out.headers = headers;
    },
    end: (body?: Buffer | string) => {
      out.body = body === undefined ? undefined : body.toString();
    },
  } as unknown as ServerResponse;
  return { response, out };
}

describe('HTTP API response mapping (payload 2.0)', () => {
  it('writes a structured result with lower-cased headers, cookies and a base64 body decoded', () => {
    const { response, out } = capture();
    writeResult(response, {
      statusCode: 201,
      headers: { Location: '/orders/1' },
      cookies: ['a=1'],
      body: Buffer.from('hello').toString('base64'),
      isBase64Encoded: true,
    });
    expect(out).toEqual({
      status: 201,
      headers: { location: '/orders/1', 'set-cookie': ['a=1'] },
      body: 'hello',
    });
  });

  it('infers a 200 JSON response from a result without statusCode', () => {
    const { response, out } = capture();
    writeResult(response, { ok: true });
    expect(out).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":true}',
    });
  });
});
