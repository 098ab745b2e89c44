import type { OpenAPIHono } from '@hono/zod-openapi';
import { ERROR_MESSAGES } from '../../shared/errors.ts';
import type { AppEnv } from '../deps.ts';
import { HTTP_STATUS } from './errors.ts';
import { SECURITY_SCHEMES } from './route.ts';

/**
 * The OpenAPI 3.1 document of `app`, derived from its routes as `declareRoute` declared
 * them (paths, parameters, bodies, every response's schema, an operationId from the method
 * and path), plus the error code table (`x-error-codes`: a table for readers, not a schema).
 */
export function openApiDocument(app: OpenAPIHono<AppEnv>) {
  const generated = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Holdfast API', version: '1' },
    // Relative: the instance that serves this document serves the API (paths start with /api).
    servers: [{ url: '/', description: 'The Holdfast instance serving this document' }],
  });
  return {
    ...generated,
    paths: withOperationIds(generated.paths ?? {}),
    components: { ...generated.components, securitySchemes: SECURITY_SCHEMES },
    'x-error-codes': Object.fromEntries(
      Object.entries(ERROR_MESSAGES).map(([code, message]) => [
        code,
        { status: HTTP_STATUS[code as keyof typeof HTTP_STATUS], message },
      ]),
    ),
  };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The operationId of a route, from its method and full path, so client generators (orval,
 * openapi-typescript) name their calls after it: `GET /api/holds/{holdId}` is
 * `getHoldsByHoldId`, `POST /api/staff/{storeId}/holds/{holdId}/hand-over` is
 * `postStaffByStoreIdHoldsByHoldIdHandOver`. Method and path are unique, so the name is.
 */
export function operationIdOf(method: string, path: string): string {
  const pascal = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
  const words = path
    .split('/')
    .filter((segment) => segment !== '' && segment !== 'api')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      return param ? `By${pascal(param)}` : segment.split(/[-_.]/).filter(Boolean).map(pascal).join('');
    });
  return `${method.toLowerCase()}${words.join('')}`;
}

type Paths = NonNullable<ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>['paths']>;

function withOperationIds(paths: Paths): Paths {
  const seen = new Map<string, string>();
  const named: Paths = {};
  for (const [path, item] of Object.entries(paths)) {
    const copy = { ...item };
    for (const method of METHODS) {
      const operation = copy[method];
      if (!operation) continue;
      const operationId = operationIdOf(method, path);
      const other = seen.get(operationId);
      if (other) throw new Error(`operationId ${operationId} of ${method} ${path} is also ${other}'s`);
      seen.set(operationId, `${method} ${path}`);
      copy[method] = { operationId, ...operation };
    }
    named[path] = copy;
  }
  return named;
}

/** Serves the document at `path`; built on first request, once every route is mounted. */
export function serveOpenApiDocument(app: OpenAPIHono<AppEnv>, path: string): void {
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.get(path, (c) => {
    document ??= openApiDocument(app);
    return c.json(document);
  });
}
