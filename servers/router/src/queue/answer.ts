import { ApiError, type WaitingBody } from "@rushgate/api";
import type { QueueReply } from "@rushgate/redis";
import { admittedBody } from "@rushgate/token";
import { etaSeconds, pollAfterMs, slowPollMs } from "./poll";

/** Turns a queue script's reply into the JSON body of SPEC §6 (errors are thrown as ApiError). */
export function queueAnswer(reply: QueueReply, ctx: { secret: string; eventId: number; userId: string }) {
  switch (reply.kind) {
    case "waiting": {
      // Paused: nobody moves, so there is no honest ETA; the place is kept. A null position: the
      // place is drawn by the shuffle at the start (README, "Fairness: the pre-queue").
      const still = reply.paused || reply.position === null;
      const eta = still || reply.position === null ? null : etaSeconds(reply.position, reply.rate);
      const body: WaitingBody = {
        status: "waiting",
        position: reply.position,
        waiting: reply.waiting,
        etaSeconds: eta,
        pollAfterMs: still ? slowPollMs() : pollAfterMs(eta),
      };
      if (reply.paused) body.paused = true;
      if (reply.position === null) body.prequeue = "shuffle";
      return body;
    }
    case "admitted":
    case "issued":
      return admittedBody(ctx.secret, {
        eventId: ctx.eventId,
        userId: ctx.userId,
        expiresAt: reply.expiresAt,
      });
    case "sold_out":
      return { status: "sold_out" as const };
    case "not_in_queue":
      throw new ApiError("not_in_queue", "you are not in this queue: enter again to take a place");
    case "not_open":
      throw new ApiError("event_not_open", "this event has ended");
    case "entry_closed":
      throw new ApiError("entry_closed", "entry to this event is closed: nobody new can join the line");
    case "not_found":
      throw new ApiError("event_not_found", `event ${ctx.eventId} does not exist`);
    default:
      throw new Error(`unexpected queue reply ${reply.kind}`);
  }
}
