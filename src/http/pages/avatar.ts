// How a person is pictured: the platform's picture when its origin is one the operator listed
// (PLATFORM_IMAGE_ORIGINS, also in the pages' img-src), else their initials.
export type Avatar = { kind: "picture"; src: string } | { kind: "initials"; text: string };

export function avatarOf(user: { username: string; picture?: string | null | undefined }, imageOrigins: readonly string[]): Avatar {
  if (user.picture && URL.canParse(user.picture) && imageOrigins.includes(new URL(user.picture).origin)) return { kind: "picture", src: user.picture };
  return { kind: "initials", text: initialsOf(user.username) };
}

/** The first letter of the first two words ("Ann Lee" -> "AL", "bob" -> "B"). */
export function initialsOf(name: string): string {
  const letters = name
    .split(/[\s_.-]+/u)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => [...word][0]!.toUpperCase());
  return letters.join("") || "?";
}
