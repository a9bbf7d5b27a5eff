// A family of refusal codes (the pickup's, the platform's, blocks', ...) kept in its own list, so each
// grows without clashing; this is the one way a family is told apart from the rest.
export function errorCodeGuard<const Codes extends readonly string[]>(codes: Codes): (code: string) => code is Codes[number] {
  const members: ReadonlySet<string> = new Set(codes);
  return (code): code is Codes[number] => members.has(code);
}
