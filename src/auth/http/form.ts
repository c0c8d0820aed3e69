import type { FastifyRequest } from 'fastify';

/**
 * Reads a field of a form-encoded body (parsed by the app's body parser into `formParameters`).
 * @param request - the request.
 * @param name - field name.
 * @returns the first value, if any.
 */
export function formField(request: FastifyRequest, name: string): string | undefined {
  const body = request.body as { formParameters?: [string, string][] } | undefined;
  return body?.formParameters?.find(([k]) => k === name)?.[1];
}
