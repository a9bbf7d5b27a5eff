// The one read-mark rule, for the API and the pages alike: a mark goes as far as the reader says,
// never past the newest message (a mark ahead of the conversation would hide messages not yet sent).

/** The revision to mark read up to, or undefined when there is nothing (yet) to mark. */
export function readMarkTarget(requested: number, newestMessageRevision: number): number | undefined {
  const target = Math.min(requested, newestMessageRevision);
  return target >= 0 ? target : undefined;
}
