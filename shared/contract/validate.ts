import { z } from 'zod';
import { eventChannels, requestChannels, type EventChannel, type EventPayload, type RequestArgs, type RequestChannel, type RequestResult } from './index';

/** A request rejected before reaching a handler: names the channel and the first bad field, never echoes values. */
export class ContractError extends Error {
  constructor(readonly channel: string, readonly issues: string[]) {
    super(`Invalid call to ${channel}: ${issues.join('; ')}`);
    this.name = 'ContractError';
  }
}

function describe(error: z.ZodError): string[] {
  return error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : '(arguments)'}: ${i.message}`);
}

/** Validates untrusted arguments for a channel (IPC or HTTP input). */
export function parseArgs<C extends RequestChannel>(channel: C, args: unknown): RequestArgs<C> {
  const spec = requestChannels[channel];
  const parsed = spec.args.safeParse(args);
  if (!parsed.success) throw new ContractError(channel, describe(parsed.error));
  return parsed.data as RequestArgs<C>;
}

/** Validates a handler's result before it leaves the core, so the UI never sees a shape it doesn't expect. */
export function parseResult<C extends RequestChannel>(channel: C, value: unknown): RequestResult<C> {
  const parsed = requestChannels[channel].result.safeParse(value);
  if (!parsed.success) throw new ContractError(`${channel} (result)`, describe(parsed.error));
  return parsed.data as RequestResult<C>;
}

/** Validates an event payload before it is pushed to any UI. */
export function parseEvent<C extends EventChannel>(channel: C, value: unknown): EventPayload<C> {
  const parsed = eventChannels[channel].safeParse(value);
  if (!parsed.success) throw new ContractError(`${channel} (event)`, describe(parsed.error));
  return parsed.data as EventPayload<C>;
}
