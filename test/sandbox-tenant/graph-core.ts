import { randomUUID } from 'node:crypto';
import type { TenantState } from './state';

/** Who is calling: derived from a verified access token. */
export interface AuthContext {
  tenantId: string;
  appId: string;
  /** Present for delegated (user) tokens. */
  userId?: string;
  roles: string[];
  scopes: string[];
}

/** A Graph request after parsing, independent of HTTP so $batch can dispatch in-process. */
export interface GraphRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  auth: AuthContext;
  requestId: string;
  /** The caller's client-request-id, echoed in error bodies as Graph does. */
  clientRequestId?: string;
  /** The path came in as /me…: the caller's own user (delegated), read with User.Read. */
  self?: boolean;
}

/** What a handler answers; the server or $batch serialises it. */
export interface GraphResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** An action as the control API exposes it; tests assert exact lists of these. */
export interface RecordedAction {
  at: string;
  method: string;
  path: string;
  status: number;
  appId?: string;
  actor?: string;
  target?: string;
  body?: unknown;
}

/** A request/response pair kept for the CSDL conformance checks. */
export interface ExchangeRecord {
  method: string;
  path: string;
  status: number;
  requestBody?: unknown;
  responseBody?: unknown;
}

/** What every route handler gets besides the request. */
export interface SandboxContext {
  state: TenantState;
  now(): Date;
  /** Scheme and host the request came in on (links are built from it, as Graph builds them). */
  baseUrl: string;
  /** `${baseUrl}/v1.0` (or `/beta`): the root of every absolute link in a response. */
  root: string;
  changed(id: string, removed?: 'changed' | 'deleted'): void;
  /** Set by handlers so the action log names the object acted on. */
  target?: string;
  replicationDelayMs: number;
  createdAt: Map<string, number>;
  /** Resolvers `verify` asks for the verification record (`ip` or `ip:port`), like Microsoft's view of public DNS. */
  dnsServers: string[];
}

/** One entry of Graph's `error.details[]`. */
export interface ErrorDetail { code: string; message: string; target?: string }

/** Thrown by handlers; turned into Graph's error body. */
export class GraphFail extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers?: Record<string, string>, readonly details?: ErrorDetail[]) {
    super(message);
  }
}

/** Graph's exact error envelope: innerError with date (no fraction), request-id and the caller's client-request-id. */
export function errorBody(code: string, message: string, requestId: string, now: Date, clientRequestId?: string, details?: ErrorDetail[]): unknown {
  return {
    error: {
      code, message, ...(details?.length ? { details } : {}),
      innerError: { date: now.toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId },
    },
  };
}

/** Shorthands for the errors the sandbox reproduces verbatim. */
export const fail = {
  badRequest: (message: string, details?: ErrorDetail[]) => new GraphFail(400, 'Request_BadRequest', message, undefined, details),
  notFound: (id: string) => new GraphFail(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`),
  denied: () => new GraphFail(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  unsupported: (message = 'Unsupported Query.') => new GraphFail(400, 'Request_UnsupportedQuery', message),
  /** "Another object with the same value for property X already exists." with Graph's ObjectConflict detail ([unconfirmed] detail shape). */
  conflict: (property: string) => {
    const message = `Another object with the same value for property ${property} already exists.`;
    return new GraphFail(400, 'Request_BadRequest', message, undefined, [{ code: 'ObjectConflict', message, target: property }]);
  },
  /** "Invalid value specified for property 'p' of resource 'R'." with an InvalidValue detail ([unconfirmed] detail shape). */
  invalidValue: (property: string, resource: string) => {
    const message = `Invalid value specified for property '${property}' of resource '${resource}'.`;
    return new GraphFail(400, 'Request_BadRequest', message, undefined, [{ code: 'InvalidValue', message, target: property }]);
  },
};

/** A JSON object body or a 400 like Graph's. */
export function objectBody(req: GraphRequest): Record<string, unknown> {
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw new GraphFail(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  }
  return req.body as Record<string, unknown>;
}

/** The id at the end of an `@odata.id` reference (…/directoryObjects/{id} or …/users/{id}). */
export function refId(body: Record<string, unknown>): string {
  const ref = body['@odata.id'];
  const id = typeof ref === 'string' ? /\/(?:[A-Za-z.]+)\/([^/()]+)$/.exec(ref)?.[1] ?? /\('([^']+)'\)$/.exec(ref)?.[1] : undefined;
  // [unconfirmed] Graph's text for a missing or unreadable @odata.id.
  if (!id) throw new GraphFail(400, 'BadRequest', "Invalid OData reference: '@odata.id' must name a directory object.");
  return decodeURIComponent(id);
}

/** Fresh request ids for responses. */
export function newRequestId(): string {
  return randomUUID();
}
