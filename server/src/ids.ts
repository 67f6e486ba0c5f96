const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Shape check for ids in paths: anything else is `not_found`, as the contract says of malformed ids. */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}
