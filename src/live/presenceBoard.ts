// Who is online in which conversation, across processes: this process's own connections, counted,
// and what other processes announced, each announcement good until it expires. A process that
// dies stops renewing its announcements, so its users go offline everywhere when they expire.
// No I/O and no clock of its own: time comes in with the calls.

export interface PresenceAnnouncement {
  giveawayId: string;
  userId: string;
  instanceId: string;
  online: boolean;
  /** Epoch ms after which an online announcement no longer counts. */
  expiresAt: number;
}

export interface PresenceBoardOptions {
  /** The effective state (any process) of a user in a conversation flipped. */
  onChange(giveawayId: string, userId: string, online: boolean): void;
  /** This process's own count went 0 -> 1 or 1 -> 0: the others must hear it. */
  onLocalChange?(giveawayId: string, userId: string, online: boolean): void;
}

export class PresenceBoard {
  private readonly local = new Map<string, Map<string, number>>();
  /** giveaway -> user -> instance -> expiresAt (online announcements only). */
  private readonly remote = new Map<string, Map<string, Map<string, number>>>();

  constructor(private readonly options: PresenceBoardOptions) {}

  join(giveawayId: string, userId: string, now: number): void {
    this.changeLocal(giveawayId, userId, +1, now);
  }

  leave(giveawayId: string, userId: string, now: number): void {
    this.changeLocal(giveawayId, userId, -1, now);
  }

  isOnline(giveawayId: string, userId: string, now: number): boolean {
    if ((this.local.get(giveawayId)?.get(userId) ?? 0) > 0) return true;
    for (const expiresAt of this.remote.get(giveawayId)?.get(userId)?.values() ?? []) if (expiresAt > now) return true;
    return false;
  }

  /** Online in any conversation: here, or announced by another process. */
  isOnlineAnywhere(userId: string, now: number): boolean {
    for (const users of this.local.values()) if ((users.get(userId) ?? 0) > 0) return true;
    for (const users of this.remote.values()) for (const expiresAt of users.get(userId)?.values() ?? []) if (expiresAt > now) return true;
    return false;
  }

  /** Users this process holds online, by conversation (what it renews). */
  localOnline(): Map<string, string[]> {
    const result = new Map<string, string[]>();
    for (const [giveawayId, users] of this.local) result.set(giveawayId, [...users.keys()]);
    return result;
  }

  hasLocal(giveawayId: string): boolean {
    return this.local.has(giveawayId);
  }

  /** Another process's announcement (this process's own are never passed in). */
  announce(announcement: PresenceAnnouncement, now: number): void {
    const { giveawayId, userId, instanceId } = announcement;
    const before = this.isOnline(giveawayId, userId, now);
    const users = this.remote.get(giveawayId) ?? new Map<string, Map<string, number>>();
    const instances = users.get(userId) ?? new Map<string, number>();
    if (announcement.online && announcement.expiresAt > now) instances.set(instanceId, announcement.expiresAt);
    else instances.delete(instanceId);
    if (instances.size > 0) users.set(userId, instances);
    else users.delete(userId);
    if (users.size > 0) this.remote.set(giveawayId, users);
    else this.remote.delete(giveawayId);
    this.notifyIfChanged(giveawayId, userId, before, now);
  }

  /** Drops expired announcements; a user they held online, and nothing else holds, goes offline. */
  sweep(now: number): void {
    for (const [giveawayId, users] of [...this.remote]) {
      for (const [userId, instances] of [...users]) {
        let expired = false;
        for (const [instanceId, expiresAt] of [...instances]) {
          if (expiresAt > now) continue;
          instances.delete(instanceId);
          expired = true;
        }
        if (instances.size === 0) users.delete(userId);
        if (users.size === 0) this.remote.delete(giveawayId);
        // Until now listeners were told this user was online: tell them otherwise if it is no longer so.
        if (expired && !this.isOnline(giveawayId, userId, now)) this.options.onChange(giveawayId, userId, false);
      }
    }
  }

  private changeLocal(giveawayId: string, userId: string, delta: number, now: number) {
    const wasOnline = this.isOnline(giveawayId, userId, now);
    const counts = this.local.get(giveawayId) ?? new Map<string, number>();
    const before = counts.get(userId) ?? 0;
    const after = Math.max(0, before + delta);
    if (after === 0) counts.delete(userId);
    else counts.set(userId, after);
    if (counts.size === 0) this.local.delete(giveawayId);
    else this.local.set(giveawayId, counts);
    if ((before === 0) !== (after === 0)) this.options.onLocalChange?.(giveawayId, userId, after > 0);
    this.notifyIfChanged(giveawayId, userId, wasOnline, now);
  }

  private notifyIfChanged(giveawayId: string, userId: string, before: boolean, now: number) {
    const after = this.isOnline(giveawayId, userId, now);
    if (after !== before) this.options.onChange(giveawayId, userId, after);
  }
}
