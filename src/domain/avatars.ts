// A person's own photo: set (an image, checked on its bytes at the edge), replaced, or removed.
// Pure: folded from the person's stream; the time comes with the command.
import { decided, refused, type Decision } from "./decision.ts";
import { avatarEvents, type AvatarEvent } from "./avatarEvents.ts";
import { photoContentTypes } from "./giveawayPhotos.ts";

export type ChangeAvatar =
  | { readonly type: "SetAvatar"; readonly userId: string; readonly sha256: string; readonly contentType: string; readonly size: number; readonly now: Date }
  | { readonly type: "RemoveAvatar"; readonly userId: string; readonly now: Date };

/** The current photo's hash, or undefined: what the person's stream says (its other events pass by). */
export function foldAvatar(stored: readonly { type: string; data: unknown }[]): string | undefined {
  let current: string | undefined;
  for (const { type, data } of stored) {
    if (!avatarEvents.has(type)) continue;
    const event = avatarEvents.parse(type, data);
    current = event.type === "AvatarChanged" ? event.data.sha256 : undefined;
  }
  return current;
}

export function decideAvatar(command: ChangeAvatar, current: string | undefined): Decision<AvatarEvent> {
  const at = command.now.toISOString();
  if (command.type === "RemoveAvatar") return current === undefined ? decided([]) : decided([{ type: "AvatarRemoved", data: { userId: command.userId, removedAt: at } }]);
  if (!photoContentTypes.includes(command.contentType)) return refused("invalid_attachment", "a photo is a PNG, JPEG, WebP or GIF image");
  // The same photo again (a retried upload) changes nothing.
  if (current === command.sha256) return decided([]);
  const { userId, sha256, contentType, size } = command;
  return decided([{ type: "AvatarChanged", data: { userId, sha256, contentType, size, changedAt: at } }]);
}
