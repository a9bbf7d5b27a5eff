// The item's photos and people's own photos as the read models fold them (projectionKit.ts): the
// giveaways read model keeps each giveaway's photos in the order added, the first as its cover; the
// users read model keeps each person's newest photo until they remove it.
import { describe, expect, it } from "vitest";
import type { GiveawayEvent, UserEvent } from "../../src/domain/events.ts";
import { giveawaysQueries } from "../../src/projections/giveawaysProjection.ts";
import { usersQueries } from "../../src/projections/usersProjection.ts";
import { alice, at, created, entered, drawn, giveawayId, giver } from "../domain/fixtures.ts";
import { byUser, given, inGiveaway } from "./projectionKit.ts";
import { plus, registered, secondGiveawayId, sha } from "./readModelEvents.ts";

const photo1 = "9e0f0000-0000-4000-8000-000000000001";
const photo2 = "9e0f0000-0000-4000-8000-000000000002";
const added = (photoId: string, digit: string, when = at): GiveawayEvent => ({
  type: "GiveawayPhotoAdded",
  data: { photoId, addedBy: giver, sha256: sha(digit), contentType: "image/jpeg", size: 2048, addedAt: when },
});
const avatarChanged = (digit: string, when: string): UserEvent => ({ type: "AvatarChanged", data: { userId: alice, sha256: sha(digit), contentType: "image/png", size: 99, changedAt: when } });
const avatarRemoved = (when: string): UserEvent => ({ type: "AvatarRemoved", data: { userId: alice, removedAt: when } });

describe("giveaway photos (giveaways read model)", () => {
  it("a giveaway without photos has no cover", () => {
    const models = given(inGiveaway(giveawayId, created()));
    expect(models.rows("giveaway_photos")).toEqual([]);
    expect(giveawaysQueries(models.db).giveawayById(giveawayId)).toMatchObject({ coverPhotoId: null });
  });

  it("keeps the photos in the order added, the first as the cover, across the draw and later batches", () => {
    const models = given(inGiveaway(giveawayId, created(), added(photo1, "a", plus(1))));
    models.and(inGiveaway(giveawayId, entered(alice), drawn(alice), added(photo2, "b", plus(2))));
    expect(models.rows("giveaway_photos")).toEqual([
      { giveaway_id: giveawayId, photo_id: photo1, position: 1, sha256: sha("a"), content_type: "image/jpeg", size: 2048, added_at: plus(1) },
      { giveaway_id: giveawayId, photo_id: photo2, position: 4, sha256: sha("b"), content_type: "image/jpeg", size: 2048, added_at: plus(2) },
    ]);
    const queries = giveawaysQueries(models.db);
    expect(queries.photosOf(giveawayId).map((each) => each.photoId)).toEqual([photo1, photo2]);
    expect(queries.giveawayById(giveawayId)).toMatchObject({ coverPhotoId: photo1, status: "drawn" });
    expect(queries.listGiveaways().map((each) => each.coverPhotoId)).toEqual([photo1]);
    expect(queries.photoById(giveawayId, photo2)).toEqual({ photoId: photo2, giveawayId, sha256: sha("b"), contentType: "image/jpeg", size: 2048, addedAt: plus(2) });
  });

  it("one giveaway's photos are its own; the same event twice is one photo", () => {
    const models = given(inGiveaway(giveawayId, created(), added(photo1, "a"), added(photo1, "a")), inGiveaway(secondGiveawayId, created()));
    const queries = giveawaysQueries(models.db);
    expect(queries.photosOf(giveawayId)).toHaveLength(1);
    expect(queries.photosOf(secondGiveawayId)).toEqual([]);
    expect(queries.photoById(secondGiveawayId, photo1)).toBeUndefined();
    expect(queries.giveawayById(secondGiveawayId)).toMatchObject({ coverPhotoId: null });
  });
});

describe("people's own photos (users read model)", () => {
  it("the newest photo stands until removed", () => {
    const models = given(byUser(registered(alice, "alice"), avatarChanged("1", plus(1))));
    expect(usersQueries(models.db).uploadedAvatarOf(alice)).toEqual({ userId: alice, sha256: sha("1"), contentType: "image/png", size: 99 });
    models.and(byUser(avatarChanged("2", plus(2))));
    expect(models.rows("user_avatars")).toEqual([{ user_id: alice, sha256: sha("2"), content_type: "image/png", size: 99, changed_at: plus(2) }]);
    models.and(byUser(avatarRemoved(plus(3))));
    expect(usersQueries(models.db).uploadedAvatarOf(alice)).toBeUndefined();
    // The user's own row is untouched: their name and the platform's picture stay as they were.
    expect(models.rows("users")).toEqual([{ id: alice, username: "alice", registered_at: at, platform_sub: null, picture: null }]);
  });
});
