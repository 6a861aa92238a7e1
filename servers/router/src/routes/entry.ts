import { ApiError } from "@rushgate/api";
import { admit } from "@rushgate/redis";
import type { RouterDeps } from "../app";
import { type EntryResult, entryAnswer, joinQueue } from "../queue";

/**
 * One entry to an event — the gate (SPEC §3), shared by the entry API and the event page. The
 * request counts towards live RPM. Under the threshold with no queue and room to spare, the router
 * admits directly (one Redis call: the slot); otherwise the user joins the queue (one Redis call).
 */
export async function enterEvent(deps: RouterDeps, eventId: number, userId: string): Promise<EntryResult> {
  const snapshot = await deps.gate.lookup(eventId);
  if (!snapshot) throw new ApiError("event_not_found", `event ${eventId} does not exist`);

  const decision = deps.gate.decide(eventId);
  deps.gate.count(eventId);
  deps.metrics.gateDecisions.inc({ decision });
  // Sold out or ended by the snapshot: the admit script still answers (one round trip), so that a
  // user who has a coupon is told so first, as every script tells them (event-state.lua).
  if (decision === "direct" || decision === "sold_out" || decision === "not_open") {
    const reply = await admit(deps.redis, deps.keys.event(eventId), userId);
    if (reply.kind === "admitted") deps.gate.tookSlot(eventId);
    // "queue": the snapshot was stale; the user joins the queue.
    if (reply.kind !== "queue") return entryAnswer(deps.queue, reply, eventId, userId);
  }
  return joinQueue(deps.queue, eventId, userId);
}
