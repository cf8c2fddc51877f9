import { z } from 'zod';

/** One request/response channel: the validator for its argument tuple and for its result. */
export interface RequestSpec<A extends z.ZodTuple = z.ZodTuple, R extends z.ZodType = z.ZodType> {
  readonly args: A;
  readonly result: R;
}

/** Declares a request channel; keeps the literal types so both transports can derive signatures. */
export function request<A extends z.ZodTuple, R extends z.ZodType>(args: A, result: R): RequestSpec<A, R> {
  return { args, result };
}

/** Channels a domain contributes; every key must be `domain:verb-noun`. */
export type RequestMap = Record<`${string}:${string}`, RequestSpec>;
/** Events a domain pushes to the UI: channel → payload validator. */
export type EventMap = Record<`${string}:${string}`, z.ZodType>;

/** Sentinel for "no result" so every channel still has a validator. */
export const Ok = z.object({ ok: z.literal(true) });
export type Ok = z.infer<typeof Ok>;

/** A failure as a UI shows it: the stable code, the admin-readable message, and whether trying again later may help. */
export const ErrorView = z.object({ code: z.string(), message: z.string(), retryable: z.boolean().default(false) });
export type ErrorView = z.infer<typeof ErrorView>;
