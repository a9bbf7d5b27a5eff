// A giveaway's photos, given / when / then: the giver adds pictures until the handover, the first is
// the cover, the same picture again is already there; and a person's own photo.
import { describe, expect, it } from "vitest";
import { decideAvatar, foldAvatar } from "../../src/domain/avatars.ts";
import type { GiveawayEvent } from "../../src/domain/events.ts";
import type { AddGiveawayPhoto } from "../../src/domain/giveawayPhotos.ts";
import { maxGiveawayPhotos } from "../../src/domain/giveawayPhotosEvents.ts";
import { given } from "./decider-spec.ts";
import { alice, at, created, giver, now } from "./fixtures.ts";
import { agreed, cancelled, completed, drawnAmongThree, handedOver, received } from "./pickupFixtures.ts";

const photo = (n: number) => `9e0f0000-0000-4000-8000-${n.toString().padStart(12, "0")}`;
const sha = (n: number) => n.toString(16).padStart(64, "0");
const add = (n: number, by = giver, contentType = "image/jpeg"): AddGiveawayPhoto => ({ type: "AddGiveawayPhoto", photoId: photo(n), by, sha256: sha(n), contentType, size: 1000 + n, now });
const added = (n: number, contentType = "image/jpeg"): GiveawayEvent => ({
  type: "GiveawayPhotoAdded",
  data: { photoId: photo(n), addedBy: giver, sha256: sha(n), contentType, size: 1000 + n, addedAt: at },
});

describe("AddGiveawayPhoto", () => {
  it("the giver adds photos before the draw and after it, until the handover", () => {
    given([created()]).when(add(1)).then([added(1)]);
    given([created(), added(1)]).when(add(2, giver, "image/png")).then([added(2, "image/png")]);
    given(drawnAmongThree()).when(add(1)).then([added(1)]);
    given(agreed()).when(add(1)).then([added(1)]);
    // One side confirmed: not yet complete.
    given([...agreed(), handedOver(25)]).when(add(1)).then([added(1)]);
  });

  it("only the giver adds them, and only to a giveaway there is", () => {
    given([created()]).when(add(1, alice)).then("not_giver");
    given(drawnAmongThree()).when(add(1, alice)).then("not_giver");
    given([]).when(add(1)).then("giveaway_not_found");
  });

  it("is refused once the item was handed over, or the giveaway cancelled (before or after the draw)", () => {
    given([...agreed(), handedOver(25), received(alice, 25), completed(25, 24)]).when(add(1)).then("giveaway_completed");
    given([created(), cancelled(1, 0)]).when(add(1)).then("giveaway_cancelled");
    given([...drawnAmongThree(), cancelled(1, 24)]).when(add(1)).then("giveaway_cancelled");
  });

  it("takes pictures only, and at most a few", () => {
    given([created()]).when(add(1, giver, "application/pdf")).then("invalid_attachment");
    given([created()]).when(add(1, giver, "audio/webm")).then("invalid_attachment");
    const full = [created(), ...Array.from({ length: maxGiveawayPhotos }, (_, i) => added(i + 1))];
    given(full).when(add(maxGiveawayPhotos + 1)).then("invalid_attachment");
  });

  it("the same picture again (a retried upload, under a new id or the same) is already there; another under a taken id is refused", () => {
    given([created(), added(1)]).when({ ...add(1), photoId: photo(7) }).then([]);
    given([created(), added(1)]).when(add(1)).then([]);
    given([created(), added(1)]).when({ ...add(2), photoId: photo(1) }).then("invalid_attachment");
  });
});

describe("a person's own photo", () => {
  const userId = alice;
  const set = (digest: string, contentType = "image/png") => ({ type: "SetAvatar" as const, userId, sha256: digest, contentType, size: 10, now });
  const changed = (digest: string) => ({ type: "AvatarChanged" as const, data: { userId, sha256: digest, contentType: "image/png", size: 10, changedAt: at } });
  const removed = { type: "AvatarRemoved" as const, data: { userId, removedAt: at } };

  it("is set, replaced and removed; the same again changes nothing", () => {
    expect(decideAvatar(set(sha(1)), undefined)).toEqual({ ok: true, events: [changed(sha(1))] });
    expect(decideAvatar(set(sha(2)), sha(1))).toEqual({ ok: true, events: [changed(sha(2))] });
    expect(decideAvatar(set(sha(1)), sha(1))).toEqual({ ok: true, events: [] });
    expect(decideAvatar({ type: "RemoveAvatar", userId, now }, sha(1))).toEqual({ ok: true, events: [removed] });
    expect(decideAvatar({ type: "RemoveAvatar", userId, now }, undefined)).toEqual({ ok: true, events: [] });
  });

  it("is a picture", () => {
    expect(decideAvatar(set(sha(1), "application/pdf"), undefined)).toMatchObject({ ok: false, error: { code: "invalid_attachment" } });
  });

  it("folds from the person's stream, passing their other events by", () => {
    const session = { type: "SessionStarted", data: { userId, sessionId: photo(9), startedAt: at, expiresAt: at } };
    expect(foldAvatar([session, changed(sha(1)), session, changed(sha(2))])).toBe(sha(2));
    expect(foldAvatar([changed(sha(1)), removed, session])).toBeUndefined();
    expect(foldAvatar([session])).toBeUndefined();
  });
});
