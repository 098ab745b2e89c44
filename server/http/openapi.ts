import type { OpenAPIHono } from '@hono/zod-openapi';
import { ERROR_MESSAGES } from '../../shared/errors.ts';
import type { AppEnv } from '../deps.ts';
import { HTTP_STATUS } from './errors.ts';
import { SECURITY_SCHEMES } from './route.ts';

/**
 * The OpenAPI 3.1 document of `app`, derived from its routes as `declareRoute` declared
 * them (paths, parameters, bodies, every response's schema), plus the error code table.
 */
export function openApiDocument(app: OpenAPIHono<AppEnv>) {
  const generated = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Holdfast API', version: '1' },
  });
  return {
    ...generated,
    components: {
      ...generated.components,
      securitySchemes: SECURITY_SCHEMES,
      schemas: {
        ...generated.components?.schemas,
        ErrorCodes: {
          description: 'Every error code, its HTTP status and its message',
          type: 'object',
          properties: Object.fromEntries(
            Object.entries(ERROR_MESSAGES).map(([code, message]) => [
              code,
              { const: message, description: `HTTP ${HTTP_STATUS[code as keyof typeof HTTP_STATUS]}` },
            ]),
          ),
        },
      },
    },
  };
}

/** Serves the document at `path`; built on first request, once every route is mounted. */
export function serveOpenApiDocument(app: OpenAPIHono<AppEnv>, path: string): void {
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.get(path, (c) => {
    document ??= openApiDocument(app);
    return c.json(document);
  });
}
