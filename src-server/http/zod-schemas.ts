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

/** A registered route and its schemas (every route, hidden ones too). */
export interface RegisteredRoute {
  method: string;
  url: string;
  schema: FastifySchema & { summary?: string; tags?: string[]; hide?: boolean };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as registered, with its zod schemas (tests walk them, e.g. for empty bodies). */
    registeredRoutes: readonly RegisteredRoute[];
  }
}

export function installZodSchemas(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const zodSchema = schema as unknown as z.ZodType;
    if (httpPart === 'body') return bodyValidator(zodSchema);
    return (data: unknown) => {
      const result = zodSchema.safeParse(data);
      return result.success ? { value: result.data } : { error: result.error };
    };
  });
  // Responses are plain JSON; their shapes are asserted in tests against the same schemas.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // An empty body sent as JSON is no body, the same as one sent without a Content-Type (clients
  // such as the Pexip SDK post `Content-Type: application/json` with nothing after it).
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (text === '') return done(null, undefined);
    json(request, text, done);
  });
  const routes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (route) => {
    const schema = (route.schema ?? {}) as RegisteredRoute['schema'];
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) routes.push({ method, url: route.url, schema });
  });
}

/**
 * Fastify hands a missing body to the validator as `null`. A body whose every field is optional
 * may be left out: it then validates as `{}` (or as absent, for `.optional()` schemas that need
 * fields when present). A required body still fails, naming its first missing field.
 */
/** True when a request may leave the body out (every field optional). */
export function mayBeEmpty(schema: unknown): boolean {
  return schema instanceof z.ZodType && (schema.safeParse({}).success || schema.safeParse(undefined).success);
}

function bodyValidator(schema: z.ZodType) {
  return (data: unknown) => {
    if (data !== null && data !== undefined) {
      const result = schema.safeParse(data);
      return result.success ? { value: result.data } : { error: result.error };
    }
    const asEmpty = schema.safeParse({});
    if (asEmpty.success) return { value: asEmpty.data };
    const asAbsent = schema.safeParse(undefined);
    return asAbsent.success ? { value: asAbsent.data } : { error: asEmpty.error };
  };
}

/**
 * Builds an OpenAPI 3.1 document from the routes as they are registered, so the document can
 * never drift from the validation that actually runs.
 */
export function collectOpenApi(app: FastifyInstance, info: { title: string; version: string }) {
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    const schema = (route.schema ?? {}) as RegisteredRoute['schema'];
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
      if (body) op.requestBody = { required: !mayBeEmpty(schema.body), content: { 'application/json': { schema: body } } };
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
