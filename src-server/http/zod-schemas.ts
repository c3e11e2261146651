import type { FastifyInstance, FastifySchema, FastifyTypeProvider } from 'fastify';
import { z } from 'zod';

/**
 * Lets route schemas be zod schemas from `src-shared`: Fastify validates with them (the parsed,
 * coerced value replaces the raw one) and infers handler types from them.
 * Use `app.withTypeProvider<ZodTypeProvider>()` when declaring routes.
 */
export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  serializer: this['schema'] extends z.ZodType ? z.input<this['schema']> : unknown;
}

export function installZodSchemas(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema }) => {
    const zodSchema = schema as unknown as z.ZodType;
    return (data: unknown) => {
      const result = zodSchema.safeParse(data);
      return result.success ? { value: result.data } : { error: result.error };
    };
  });
  // Responses are plain JSON; their shapes are asserted in tests against the same schemas.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
}

interface CollectedRoute {
  method: string;
  url: string;
  schema: FastifySchema & { summary?: string; tags?: string[]; hide?: boolean };
}

/**
 * Builds an OpenAPI 3.1 document from the routes as they are registered, so the document can
 * never drift from the validation that actually runs.
 */
export function collectOpenApi(app: FastifyInstance, info: { title: string; version: string }) {
  const routes: CollectedRoute[] = [];
  app.addHook('onRoute', (route) => {
    const schema = (route.schema ?? {}) as CollectedRoute['schema'];
    if (schema.hide) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      routes.push({ method: method.toLowerCase(), url: route.url, schema });
    }
  });

  return function document() {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const { method, url, schema } of routes) {
      const path = url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const op: Record<string, unknown> = { responses: { default: { description: 'See the error format' } } };
      if (schema.summary) op.summary = schema.summary;
      if (schema.tags) op.tags = schema.tags;
      const parameters: unknown[] = [];
      for (const [where, key] of [
        ['path', 'params'],
        ['query', 'querystring'],
      ] as const) {
        const s = toJson(schema[key]);
        const props = (s?.properties ?? {}) as Record<string, unknown>;
        const required = new Set((s?.required as string[] | undefined) ?? []);
        for (const [name, prop] of Object.entries(props)) {
          parameters.push({ name, in: where, required: where === 'path' || required.has(name), schema: prop });
        }
      }
      if (parameters.length) op.parameters = parameters;
      const body = toJson(schema.body);
      if (body) op.requestBody = { required: true, content: { 'application/json': { schema: body } } };
      const responses = schema.response as Record<string, unknown> | undefined;
      if (responses) {
        op.responses = Object.fromEntries(
          Object.entries(responses).map(([status, s]) => [
            status,
            { description: status, content: { 'application/json': { schema: toJson(s, 'output') ?? {} } } },
          ]),
        );
      }
      (paths[path] ??= {})[method] = op;
    }
    return { openapi: '3.1.0', info, paths };
  };
}

function toJson(schema: unknown, io: 'input' | 'output' = 'input'): Record<string, unknown> | undefined {
  if (!(schema instanceof z.ZodType)) return undefined;
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
}
