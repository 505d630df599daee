import type { Hub } from '@switchyard/core';
import type { Store } from '@switchyard/platform';
import { z } from 'zod';
import type { ServerMetrics } from '../http/metrics';
import { problem, ProblemError } from '../http/problem';
import { defineRoute, respond, type AnyRouteSpec } from '../http/route';

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A plain reference page of the OpenAPI document: every operation with its scope, parameters and responses. */
export function referencePage(document: Record<string, unknown>): string {
  const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
  const sections = Object.entries(paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => {
      const parameters = (operation.parameters as { name: string; in: string; required: boolean }[]) ?? [];
      const responses = Object.keys(operation.responses as object).join(', ');
      const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
      return `<section id="${escapeHtml(String(operation.operationId))}">
<h3><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h3>
<p>${escapeHtml(typeof operation.summary === 'string' ? operation.summary : '')}${isPublic ? ' <em>(no key)</em>' : ''}</p>
${typeof operation.description === 'string' ? `<p>${escapeHtml(operation.description)}</p>` : ''}
${parameters.length === 0 ? '' : `<p>Parameters: ${parameters.map((parameter) => `<code>${escapeHtml(parameter.name)}</code> (${parameter.in}${parameter.required ? ', required' : ''})`).join(', ')}</p>`}
<p>Responses: ${escapeHtml(responses)}</p>
</section>`;
    }),
  );
  const info = document.info as { title: string; version: string; description: string };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)} reference</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}code{background:#f3f3f3;padding:0 .2em}section{border-top:1px solid #ddd}</style>
</head><body><h1>${escapeHtml(info.title)} ${escapeHtml(info.version)}</h1><p>${escapeHtml(info.description)}</p>
<p>The machine-readable document: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Send <code>Authorization: Bearer &lt;API key&gt;</code>.</p>
${sections.join('\n')}
</body></html>`;
}

/** Liveness, readiness, Prometheus metrics, the OpenAPI document and its reference page. */
export function opsRoutes(dependencies: {
  readonly hub: Hub;
  readonly store: Store;
  readonly metrics: ServerMetrics;
  readonly openApi: () => Record<string, unknown>;
}): AnyRouteSpec[] {
  const { store, metrics, openApi } = dependencies;
  let cachedDocument: Record<string, unknown> | undefined;
  const document = () => (cachedDocument ??= openApi());
  return [
    defineRoute({
      method: 'GET',
      url: '/healthz',
      operationId: 'healthz',
      summary: 'Liveness: the process answers',
      tags: ['operations'],
      scope: 'public',
      responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } },
      handle: async () => Promise.resolve({ status: 'ok' as const }),
    }),
    defineRoute({
      method: 'GET',
      url: '/readyz',
      operationId: 'readyz',
      summary: 'Readiness: the store answers',
      tags: ['operations'],
      scope: 'public',
      responses: { 200: { description: 'Ready', schema: z.object({ status: z.literal('ready') }) } },
      async handle() {
        try {
          await store.events.listRecent({ limit: 1 });
        } catch {
          throw new ProblemError(problem(503, 'unavailable', 'The store does not answer.', { isRetryable: true }));
        }
        return { status: 'ready' as const };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/metrics',
      operationId: 'metrics',
      summary: 'Prometheus metrics (text exposition format)',
      tags: ['operations'],
      scope: 'read',
      responses: { 200: { description: 'Metrics', schema: z.string(), contentType: 'text/plain' } },
      handle: async () => Promise.resolve(respond(200, metrics.render(), { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })),
    }),
    defineRoute({
      method: 'GET',
      url: '/openapi.json',
      operationId: 'openApiDocument',
      summary: 'This API as an OpenAPI 3.1 document',
      tags: ['operations'],
      scope: 'public',
      responses: { 200: { description: 'The document', schema: z.record(z.string(), z.unknown()) } },
      handle: async () => Promise.resolve(document()),
    }),
    defineRoute({
      method: 'GET',
      url: '/docs',
      operationId: 'reference',
      summary: 'A reference page of this API',
      tags: ['operations'],
      scope: 'public',
      responses: { 200: { description: 'HTML', schema: z.string(), contentType: 'text/html' } },
      handle: async () => Promise.resolve(respond(200, referencePage(document()), { 'content-type': 'text/html; charset=utf-8' })),
    }),
  ];
}
