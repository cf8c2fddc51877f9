import { isRequestChannel, type Handlers, type RequestChannel } from '../../shared/contract';
import { ContractError, parseArgs, parseResult } from '../../shared/contract/validate';
import type { InvokeOutcome } from '../../shared/bridge';
import { toWireError } from './errors';

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
