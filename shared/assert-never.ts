/** Makes a `switch` over a tagged union exhaustive: adding a `kind` without handling it fails to compile. */
export function assertNever(value: never, message = 'Unexpected value'): never {
  throw new Error(`${message}: ${JSON.stringify(value)}`);
}
