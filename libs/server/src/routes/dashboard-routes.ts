import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { problem, ProblemError } from '../http/problem';
import { defineRoute, respond, type AnyRouteSpec } from '../http/route';

/**
 * The dashboard's folder, beside `dist/` in the published package. The bundle
 * (`dist/index.js`) finds it one level up, the sources
 * (`src/routes/dashboard-routes.ts`, under test) two levels up; the first that
 * holds `index.html` wins.
 */
const DASHBOARD_FOLDERS = [new URL('../dashboard/', import.meta.url), new URL('../../dashboard/', import.meta.url)];

/** The files `/dashboard/{file}` serves, each with its content type; nothing else in the folder is. */
const ASSETS: Readonly<Record<string, string>> = {
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};

/** The page may load its own script and style and call its own origin, nothing more. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-cache',
};

const notFound = (detail: string) => new ProblemError(problem(404, 'not_found', detail, { isRetryable: false }));

/** The dashboard: one static page and its script and style, public (the page asks for an API key and calls the JSON API with it). */
export function dashboardRoutes(): AnyRouteSpec[] {
  let folder: URL | undefined;
  const serve = async (name: string, contentType: string) => {
    folder ??= DASHBOARD_FOLDERS.find((candidate) => existsSync(new URL('index.html', candidate)));
    if (folder === undefined) throw notFound('The dashboard files are not installed beside the server.');
    const body = await readFile(new URL(name, folder), 'utf8');
    return respond(200, body, { ...SECURITY_HEADERS, 'content-type': contentType });
  };
  return [
    defineRoute({
      method: 'GET',
      url: '/dashboard',
      operationId: 'dashboard',
      summary: 'The dashboard page: integrations and recent events',
      tags: ['dashboard'],
      scope: 'public',
      responses: { 200: { description: 'HTML', schema: z.string(), contentType: 'text/html' } },
      handle: async () => serve('index.html', 'text/html; charset=utf-8'),
    }),
    defineRoute({
      method: 'GET',
      url: '/dashboard/:file',
      operationId: 'dashboardAsset',
      summary: "The dashboard's script and style",
      tags: ['dashboard'],
      scope: 'public',
      params: z.object({ file: z.string().max(64).describe('dashboard.js or dashboard.css') }),
      responses: {
        200: {
          description: 'The script (text/javascript) or the style (text/css)',
          schema: z.string(),
          contentType: 'text/javascript',
          alternatives: [{ contentType: 'text/css', schema: z.string() }],
        },
      },
      async handle({ params }) {
        const contentType = Object.hasOwn(ASSETS, params.file) ? ASSETS[params.file] : undefined;
        if (contentType === undefined) throw notFound(`No dashboard file ${params.file}`);
        return serve(params.file, contentType);
      },
    }),
  ];
}
