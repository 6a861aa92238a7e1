import type { EventStatus, EventView } from "@rushgate/api";
import { Layout, Time } from "./layout";

const badge: Record<EventStatus, string> = {
  open: "Open now",
  upcoming: "Upcoming",
  sold_out: "Sold out",
  ended: "Ended",
};

function EventCard({ event }: { event: EventView }) {
  const canJoin = event.status === "open" || event.status === "upcoming";
  return (
    <li class="card">
      <div class="row">
        <span class={`badge ${event.status}`}>{badge[event.status]}</span>
        <span class="small muted">
          {event.status === "upcoming" ? "Starts " : "Started "}
          <Time at={event.startsAt} />
        </span>
      </div>
      <h2>
        <a href={`/events/${event.id}`}>{event.name}</a>
      </h2>
      <div class="row">
        <p class="small">
          <b>{event.remaining > 0 ? `${event.remaining} of ${event.stock}` : "None"}</b> coupons left · until{" "}
          <Time at={event.endsAt} />
        </p>
        {canJoin ? (
          <a class="button" href={`/events/${event.id}`} aria-label={`Get in line for ${event.name}`}>
            {event.status === "open" ? "Get in line" : "Wait in line"}
          </a>
        ) : null}
      </div>
    </li>
  );
}

/** `/` — the open and upcoming drops. */
export function HomePage({ events }: { events: EventView[] | null }) {
  return (
    <Layout title="Coupon drops" script="common.js">
      <p class="eyebrow">First come, first served</p>
      <h1>Coupon drops</h1>
      <p class="lead">
        Each drop has a limited number of coupons, one per person. When many people arrive at once, you wait
        in a fair line: first in, first served.
      </p>
      {events === null ? (
        <div class="notice warn" role="status">
          <strong>We can't load the drops right now.</strong>
          <p>Please try again in a moment.</p>
        </div>
      ) : events.length === 0 ? (
        <p class="card">No drops right now. Check back soon.</p>
      ) : (
        <ul class="cards">
          {events.map((event) => (
            <EventCard event={event} />
          ))}
        </ul>
      )}
    </Layout>
  );
}
