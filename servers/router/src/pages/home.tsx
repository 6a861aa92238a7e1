import type { EventView } from "@rushgate/api";
import type { I18n, PageI18n } from "./i18n";
import { Layout, Time } from "./layout";

function EventCard({ event, m }: { event: EventView; m: I18n }) {
  const canJoin = event.status === "open" || event.status === "upcoming";
  const until = <Time at={event.endsAt} m={m} />;
  return (
    <li class="card">
      <div class="row">
        <span class={`badge ${event.status}`}>{m.t(`home.badge.${event.status}`)}</span>
        <span class="small muted">
          {m.rich(event.status === "upcoming" ? "home.starts" : "home.started", {
            time: <Time at={event.startsAt} m={m} />,
          })}
        </span>
      </div>
      <h2>
        <a href={`/events/${event.id}`}>{event.name}</a>
      </h2>
      <div class="row">
        <p class="small">
          {event.remaining > 0
            ? m.rich("home.left", {
                count: <b>{m.t("home.count", { left: event.remaining, stock: event.stock })}</b>,
                until,
              })
            : m.rich("home.noneLeft", { until })}
        </p>
        {canJoin ? (
          <a
            class="button"
            href={`/events/${event.id}`}
            aria-label={m.t("home.joinLabel", { name: event.name })}
          >
            {event.status === "open" ? m.t("home.join") : m.t("home.joinEarly")}
          </a>
        ) : null}
      </div>
    </li>
  );
}

/** `/` — the open and upcoming drops. */
export function HomePage({ events, m }: { events: EventView[] | null; m: PageI18n }) {
  return (
    <Layout title={m.t("home.title")} script="common.js" i18n={m}>
      <p class="eyebrow">{m.t("home.eyebrow")}</p>
      <h1>{m.t("home.title")}</h1>
      <p class="lead">{m.t("home.lead")}</p>
      {events === null ? (
        <div class="notice warn" role="status">
          <strong>{m.t("home.unavailable")}</strong>
          <p>{m.t("home.unavailableDetail")}</p>
        </div>
      ) : events.length === 0 ? (
        <p class="card">{m.t("home.empty")}</p>
      ) : (
        <ul class="cards">
          {events.map((event) => (
            <EventCard event={event} m={m} />
          ))}
        </ul>
      )}
    </Layout>
  );
}
