import { describe, expect, it } from 'vitest';
import { eventChannels, isRequestChannel, requestChannels } from '../../shared/contract';
import { ContractError, parseArgs, parseEvent, parseResult } from '../../shared/contract/validate';
import { dispatch } from '../../electron/core/dispatch';
import type { Handlers } from '../../shared/contract';

describe('the contract', () => {
  it('names every channel domain:verb-noun', () => {
    for (const name of [...Object.keys(requestChannels), ...Object.keys(eventChannels)]) {
      expect(name).toMatch(/^[a-z0-9]+:[a-z]+(-[a-z0-9]+)*$/);
    }
  });

  it('every request channel refuses extra arguments and a handler that returns nothing', () => {
    for (const [name, spec] of Object.entries(requestChannels)) {
      expect(spec.args.safeParse([...Array.from({ length: 8 }, () => ({})), 'extra']).success, `${name} took 9 arguments`).toBe(false);
      expect(spec.args.safeParse('not a tuple').success, `${name} took a string`).toBe(false);
      expect(spec.result.safeParse(undefined).success, `${name} accepted no result`).toBe(false);
    }
  });

  it('rejects arguments of the wrong shape with the channel and field named', () => {
    expect(() => parseArgs('app:open-external', ['not a url'])).toThrow(ContractError);
    expect(() => parseArgs('app:open-external', [])).toThrow(/app:open-external/);
    expect(() => parseArgs('app:get-info', ['extra'])).toThrow(ContractError);
    expect(parseArgs('app:open-external', ['https://admin.microsoft.com/'])).toEqual(['https://admin.microsoft.com/']);
  });

  it('rejects a result that does not match the declared shape', () => {
    expect(() => parseResult('app:get-info', { productName: 'x' })).toThrow(/result/);
  });

  it('rejects an event payload that does not match', () => {
    expect(() => parseEvent('sync:status-changed', { state: 'bogus' })).toThrow(ContractError);
  });

  it('recognises only declared channels', () => {
    expect(isRequestChannel('app:get-info')).toBe(true);
    expect(isRequestChannel('constructor')).toBe(false);
    expect(isRequestChannel('__proto__')).toBe(false);
    expect(isRequestChannel(42)).toBe(false);
  });

  it('dispatch validates before the handler runs and after it returns', async () => {
    let called = 0;
    const handlers = {
      'app:open-external': async () => {
        called++;
        return { allowed: true, opened: false };
      },
      'app:get-info': async () => ({ wrong: true }),
    } as unknown as Handlers;
    await expect(dispatch(handlers, 'app:open-external', [123])).rejects.toBeInstanceOf(ContractError);
    expect(called).toBe(0);
    await expect(dispatch(handlers, 'app:open-external', ['https://learn.microsoft.com/x'])).resolves.toEqual({ allowed: true, opened: false });
    expect(called).toBe(1);
    await expect(dispatch(handlers, 'app:get-info', [])).rejects.toThrow(/result/);
    await expect(dispatch(handlers, 'nope:nothing', [])).rejects.toThrow(/unknown channel/);
  });
});
