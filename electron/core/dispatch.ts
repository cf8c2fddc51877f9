import { isRequestChannel, type Handlers, type RequestChannel } from '../../shared/contract';
import { ContractError, parseArgs, parseResult } from '../../shared/contract/validate';
import { redact } from './redact';
import type { InvokeOutcome, WireError } from '../../shared/bridge';


/** Errors the core raises on purpose carry a code and a message safe to show to the admin. */
export class UserFacingError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'UserFacingError';
  }
}

/** Turns any thrown value into a WireError without leaking stack traces or secrets. */
export function toWireError(error: unknown): WireError {
  if (error instanceof ContractError) return { code: 'invalid-request', message: redact(error.message) };
  if (error instanceof UserFacingError) return { code: error.code, message: redact(error.message) };
  const code = typeof (error as { code?: unknown })?.code === 'string' ? String((error as { code: string }).code) : 'internal';
  const message = error instanceof Error ? error.message : String(error);
  return { code, message: redact(message || 'Something went wrong.') };
}

/**
 * The single entry every transport calls with untrusted input: checks the channel exists, validates the
 * arguments, runs the handler, and validates the result against the contract.
 */
export async function dispatch(handlers: Handlers, channel: unknown, args: unknown): Promise<unknown> {
  if (!isRequestChannel(channel)) throw new ContractError(String(channel).slice(0, 80), ['unknown channel']);
  const parsed = parseArgs(channel, args);
  const handler = handlers[channel] as (...a: unknown[]) => Promise<unknown>;
  const result = await handler(...(parsed as unknown[]));
  return parseResult(channel as RequestChannel, result);
}

/** dispatch() as an outcome object, the form both transports put on the wire. */
export async function invokeOutcome(handlers: Handlers, channel: unknown, args: unknown): Promise<InvokeOutcome> {
  try {
    return { ok: true, result: await dispatch(handlers, channel, args) };
  } catch (error) {
    return { ok: false, error: toWireError(error) };
  }
}
