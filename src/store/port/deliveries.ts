import type { Recipient, Segment } from "../../domain/segment.js";
import type { Platform } from "../../platforms/capabilities.js";

/** Broadcasts and the delivery outbox. */

export type BroadcastStatus = "running" | "paused" | "cancelled" | "done";
export type DeliveryStatus = "pending" | "sent" | "failed" | "unreachable" | "cancelled";

/** What a broadcast may carry besides its text. */
export interface BroadcastExtras {
  /** A photo uploaded on one platform: its file id is only valid for that platform's bot. */
  photo: { platform: Platform; fileId: string } | null;
  /** A link button under the message. */
  link: { text: string; url: string } | null;
  /** An «I'm in» button whose taps are counted. */
  imIn: boolean;
  /** Rows of callback buttons (a match notice's answers), already in the recipient's language. */
  buttons: { text: string; data: string }[][] | null;
}

export interface Broadcast extends BroadcastExtras {
  id: string;
  text: string;
  /**
   * A one-to-one push that may carry personal data (an introduction's
   * contact details): its text is sealed with the PII key at rest, and it is
   * purged once settled and past the retention period.
   */
  personal: boolean;
  /** The people a personal broadcast carries data of (an introduction's volunteer): erasing one deletes it. */
  about: string[];
  segment: Segment;
  /** Urgent broadcasts may be sent in quiet hours. */
  urgent: boolean;
  createdBy: string | null;
  /** Nothing is sent before this instant. */
  notBefore: Date;
  status: BroadcastStatus;
  total: number;
  createdAt: Date;
}

/** One message to one person on one platform: a durable outbox record. */
export interface Delivery extends BroadcastExtras {
  id: string;
  broadcastId: string;
  personId: string;
  platform: Platform;
  chatId: string;
  text: string;
  urgent: boolean;
  /** A one-to-one push (a match notice, an introduction): the send budget's urgent lane. */
  personal: boolean;
  attempts: number;
}

/** What creating a broadcast takes: extras are optional, and it may start paused. */
export type NewBroadcastRecord = Omit<
  Broadcast,
  "id" | "status" | "total" | "createdAt" | "personal" | "about" | keyof BroadcastExtras
> &
  Partial<BroadcastExtras> & { paused?: boolean; personal?: boolean; about?: string[] };

export type DeliveryProgress = Record<DeliveryStatus, number>;

export interface DeliveryRepository {
  /** Creates a running broadcast, or a paused one (`paused`) to be started later. */
  createBroadcast(input: NewBroadcastRecord): Promise<Broadcast>;
  /**
   * Records one person's «I'm in» on a broadcast, once: `recorded`, `already`
   * (answered before), or `not_sent` (the broadcast never went to them: a
   * forged or forwarded button counts nothing).
   */
  respond(broadcastId: string, personId: string): Promise<"recorded" | "already" | "not_sent">;
  responses(broadcastId: string): Promise<number>;
  getBroadcast(id: string): Promise<Broadcast | null>;
  /** The newest campaign broadcasts (not one-to-one pushes), newest first. */
  recentBroadcasts(limit: number): Promise<Broadcast[]>;
  setBroadcastStatus(id: string, status: BroadcastStatus): Promise<void>;
  /** Adds recipients; a recipient already queued for the broadcast is not added twice. Returns how many were added. */
  enqueue(broadcastId: string, recipients: Recipient[]): Promise<number>;
  /**
   * Atomically leases up to `limit` due deliveries of running broadcasts to
   * `owner` until `now + leaseMs`. A lease that runs out (a crashed worker)
   * makes the delivery claimable again; two workers never hold one at once.
   */
  claim(
    owner: string,
    limit: number,
    now: Date,
    leaseMs: number,
    /** `urgentOnly`: urgent broadcasts only (quiet hours, the urgent loop); `bulkOnly`: the others only. */
    options: { urgentOnly: boolean; bulkOnly?: boolean },
  ): Promise<Delivery[]>;
  /** Settles a claimed delivery. Only the lease owner's call has effect. */
  settle(id: string, owner: string, status: Exclude<DeliveryStatus, "pending">, error?: string): Promise<void>;
  /** Marks many claimed deliveries sent in one write (the engine's common case). */
  settleSent(ids: string[], owner: string): Promise<void>;
  /** Gives a claimed delivery back for a later attempt. */
  retryLater(id: string, owner: string, at: Date, error: string, countAttempt: boolean): Promise<void>;
  progress(broadcastId: string): Promise<DeliveryProgress>;
  /** Deliveries still pending across all broadcasts (the outbox depth). */
  pendingCount(): Promise<number>;
  /**
   * Deletes personal (one-to-one) broadcasts created before `before` with
   * nothing left pending, and their deliveries and answers. Returns how many.
   */
  purgePersonal(before: Date): Promise<number>;
}
