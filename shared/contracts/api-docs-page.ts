import { buildOpenApiDocument } from './openapi';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

interface Operation {
  operationId: string;
  summary: string;
  parameters: Array<{ name: string; in: string; required: boolean }>;
  requestBody?: unknown;
  responses: Record<string, { description: string }>;
}

/**
 * A self-contained HTML page of the OpenAPI document (no CDN: the local cloud runs offline),
 * so a person can read the API at /docs.
 */
export function renderApiDocsPage(): string {
  const document = buildOpenApiDocument();
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, Operation>).map(([method, op]) => {
      const params = op.parameters
        .map(
          (p) => `<li><code>${escapeHtml(p.name)}</code> in ${p.in}${p.required ? ' (required)' : ''}</li>`,
        )
        .join('');
      const responses = Object.entries(op.responses)
        .map(([status, r]) => `<li><b>${status}</b> ${escapeHtml(r.description)}</li>`)
        .join('');
      return `<section id="${op.operationId}">
  <h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
  <p>${escapeHtml(op.summary)}</p>
  ${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ''}
  ${op.requestBody ? `<h4>Body</h4><pre>${escapeHtml(JSON.stringify(op.requestBody, null, 2))}</pre>` : ''}
  <h4>Responses</h4><ul>${responses}</ul>
</section>`;
    }),
  );
  const schemas = Object.entries(document.components.schemas)
    .map(
      ([id, schema]) =>
        `<section id="schema-${id}"><h3>${id}</h3><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre></section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(document.info.title)} API</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#222}
pre{background:#f5f5f5;padding:.75rem;overflow:auto;font-size:13px}
.m{display:inline-block;min-width:4.5em;padding:0 .4em;border-radius:4px;color:#fff;font-size:13px;text-align:center}
.get{background:#2b7a3d}.post{background:#1f5fa8}.put{background:#a86b1f}.delete{background:#a8321f}
section{border-top:1px solid #ddd;padding-top:.5rem}
</style></head>
<body>
<h1>${escapeHtml(document.info.title)} <small>${escapeHtml(document.info.version)}</small></h1>
<p>${escapeHtml(document.info.description)} The machine-readable document is at <a href="/openapi.json">/openapi.json</a>.</p>
<p>Every POST needs an <code>Idempotency-Key</code> header; errors are <code>application/problem+json</code> (RFC 9457).</p>
<h2>Operations</h2>
${operations.join('\n')}
<h2>Schemas</h2>
${schemas}
</body></html>`;
}
