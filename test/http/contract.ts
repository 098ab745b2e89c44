import type { OpenAPIHono } from '@hono/zod-openapi';
import { expect } from 'vitest';
import type { z } from 'zod';
import type { AppEnv } from '../../server/deps.ts';

interface DeclaredRoute {
  name: string;
  method: string;
  pattern: RegExp;
  params: number;
  /** Status -> the JSON body schema declared for it. */
  bodies: Map<number, z.ZodType>;
  successStatus: number;
  /** Answers with server-sent events, not one JSON body (checked by its own tests). */
  stream: boolean;
}

/**
 * The routes `app` declared, read from the same registry the OpenAPI document comes from.
 * `check` holds a real answer to its route's declared schema for that status; `unexercised`
 * lists the routes never yet answered with their success status.
 */
export function routeContract(app: OpenAPIHono<AppEnv>) {
  const routes: DeclaredRoute[] = [];
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== 'route') continue;
    const { method, path, responses } = definition.route;
    const bodies = new Map<number, z.ZodType>();
    let stream = false;
    for (const [status, response] of Object.entries(responses)) {
      if ('content' in response && response.content?.['text/event-stream']) stream = true;
      const media = 'content' in response ? response.content?.['application/json'] : undefined;
      const schema = media && 'schema' in media ? media.schema : undefined;
      if (schema && 'safeParse' in schema) bodies.set(Number(status), schema as z.ZodType);
    }
    const source = path.replace(/\{\w+\}/g, '[^/]+');
    routes.push({
      name: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      pattern: new RegExp(`^${source}$`),
      params: (path.match(/\{/g) ?? []).length,
      bodies,
      stream,
      successStatus: [...bodies.keys()].find((s) => s >= 200 && s < 300) ?? 0,
    });
  }
  const exercised = new Set<string>();

  return {
    routes,
    /** Asserts that `body` is exactly what the route declared for `status`; returns the route's name. */
    check(method: string, url: string, status: number, body: unknown): string {
      const path = url.split('?')[0] ?? '';
      const route = routes
        .filter((r) => r.method === method && r.pattern.test(path))
        .sort((a, b) => a.params - b.params)[0];
      if (!route) throw new Error(`no declared route answers ${method} ${path}`);
      const schema = route.bodies.get(status);
      if (!schema) throw new Error(`${route.name} answered ${status}, which it does not declare`);
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        throw new Error(`${route.name} ${status} does not match its schema: ${parsed.error.message}`);
      }
      // Parsing drops keys a schema does not declare: the answer must have none.
      expect(parsed.data, `${route.name} ${status} sends fields it does not declare`).toEqual(body);
      if (status === route.successStatus) exercised.add(route.name);
      return route.name;
    },
    /** JSON routes never answered with their success status yet. */
    unexercised(): string[] {
      return routes
        .filter((r) => !r.stream)
        .map((r) => r.name)
        .filter((name) => !exercised.has(name));
    },
  };
}
