// A user's notification settings: Web Push on or off, e-mail on or off, and whether either may show
// a preview of what was said. Recorded whole in the user's own stream (user-<userId>) each time they
// change, so the newest event is the setting. Pure: time comes with the command. events.ts registers
// the event with the user events; this file imports nothing of it (no cycle).
import { z } from "zod";
import { StoredIdSchema } from "./ids.ts";
import { eventFamily, type EventsOf } from "./eventCatalogue.ts";
import { decided, type Decision } from "./decision.ts";

/** The user's settings after the change, all three (a later reader needs no earlier event). */
export const NotificationSettingsChangedSchema = z.object({
  userId: StoredIdSchema,
  push: z.boolean(),
  email: z.boolean(),
  preview: z.boolean(),
  changedAt: z.iso.datetime(),
});

export type NotificationSettingsChanged = z.output<typeof NotificationSettingsChangedSchema>;

export const notificationSettingsEvents = eventFamily("notification settings", {
  NotificationSettingsChanged: NotificationSettingsChangedSchema,
});

export type NotificationSettingsEvent = EventsOf<typeof notificationSettingsEvents.schemas>;

export interface NotificationSettings {
  /** Web Push to the user's subscribed browsers. */
  readonly push: boolean;
  /** E-mail digests. */
  readonly email: boolean;
  /** Whether a push or an e-mail may carry a preview of the text; off, it says only that something happened, and where. */
  readonly preview: boolean;
}

/** What a user who never chose has: everything on. */
export const defaultNotificationSettings: NotificationSettings = { push: true, email: true, preview: true };

/** The longest preview of a message a push or an e-mail carries, in characters. */
export const previewMaxLength = 120;

/** The settings a user's stream folds to (any other event of the stream is passed over). */
export function foldNotificationSettings(events: Iterable<{ type: string; data: unknown }>): NotificationSettings {
  let settings = defaultNotificationSettings;
  for (const event of events) {
    if (event.type !== "NotificationSettingsChanged") continue;
    const { push, email, preview } = event.data as NotificationSettingsChanged;
    settings = { push, email, preview };
  }
  return settings;
}

export interface ChangeNotificationSettings {
  readonly type: "ChangeNotificationSettings";
  readonly userId: string;
  /** Only what the user named changes; the rest stays as it was. */
  readonly changes: Partial<NotificationSettings>;
  readonly now: Date;
}

/** Idempotent: settings that already stand record nothing. */
export function decideNotificationSettings(command: ChangeNotificationSettings, current: NotificationSettings): Decision<NotificationSettingsEvent> {
  const next: NotificationSettings = {
    push: command.changes.push ?? current.push,
    email: command.changes.email ?? current.email,
    preview: command.changes.preview ?? current.preview,
  };
  if (next.push === current.push && next.email === current.email && next.preview === current.preview) return decided([]);
  return decided([{ type: "NotificationSettingsChanged", data: { userId: command.userId, ...next, changedAt: command.now.toISOString() } }]);
}

/**
 * The one preview rule for push and e-mail: at most `previewMaxLength` characters (whole code
 * points, an ellipsis when cut), whitespace runs folded to one space; nothing when previews are off.
 */
export function previewOf(text: string, settings: Pick<NotificationSettings, "preview">): string | undefined {
  if (!settings.preview) return undefined;
  const folded = text.replace(/\s+/g, " ").trim();
  const points = [...folded];
  if (points.length <= previewMaxLength) return folded;
  return `${points.slice(0, previewMaxLength - 1).join("").trimEnd()}…`;
}
