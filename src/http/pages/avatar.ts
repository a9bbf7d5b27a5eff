// How a person is pictured: their own photo (PUT /api/me/avatar), else the platform's picture when its
// origin is one the operator listed (PLATFORM_IMAGE_ORIGINS, also in the pages' img-src), else their
// initials.
import type { UploadedAvatar } from "../../projections/usersProjection.ts";
import { avatarUrl } from "../api/avatarsApi.ts";

export type Avatar = { kind: "picture"; src: string } | { kind: "initials"; text: string };

export interface AvatarQueries {
  userById(userId: string): { picture: string | null } | undefined;
  uploadedAvatarOf(userId: string): UploadedAvatar | undefined;
}

/** A person's avatar from the read models: the one rule for every page that pictures someone. */
export function avatarOfUser(queries: AvatarQueries, user: { id: string; username: string }, imageOrigins: readonly string[]): Avatar {
  const uploaded = queries.uploadedAvatarOf(user.id);
  if (uploaded) return { kind: "picture", src: avatarUrl(user.id, uploaded.sha256) };
  return avatarOf({ username: user.username, picture: queries.userById(user.id)?.picture }, imageOrigins);
}

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
