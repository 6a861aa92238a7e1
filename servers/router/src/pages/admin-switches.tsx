/** The kill switches' part of the operator dashboard (issue 13.1); its script is assets/admin-switches.ts. */

const SWITCHES = [
  ["paused", "Pause admissions", "Nobody is let in; people waiting keep their place."],
  ["queueAll", "Queue everyone", "Everyone goes through the waiting room, even under the threshold."],
  ["entryClosed", "Close entry", "Nobody new joins; people waiting are still served."],
] as const;

function Toggles(props: { prefix: string }) {
  return (
    <fieldset class="switches" data-prefix={props.prefix}>
      {SWITCHES.map(([name, label, help]) => (
        <div>
          <input type="checkbox" id={`${props.prefix}-${name}`} data-switch={name} />
          <label for={`${props.prefix}-${name}`}>{label}</label>
          <p class="small muted">{help}</p>
        </div>
      ))}
    </fieldset>
  );
}

export function SwitchesPanel() {
  return (
    <section id="switches" class="card" aria-labelledby="switches-title">
      <h2 id="switches-title">Kill switches</h2>
      <p class="small muted">Every router applies a change within a second.</p>
      <h3>Every event</h3>
      <Toggles prefix="gsw" />
      <div id="gsw-msg" role="status" class="notice small" />
      <h3>One event</h3>
      <form id="esw-form" class="inline">
        <div>
          <label for="esw-event">Event id</label>
          <input id="esw-event" name="eventId" type="number" min={1} step={1} required />
        </div>
        <button type="submit">Show its switches</button>
      </form>
      <div id="esw-panel" hidden>
        <Toggles prefix="esw" />
        <p id="esw-effective" class="small" />
        <p>
          <button type="button" id="esw-end" class="danger">
            End this event now
          </button>
        </p>
      </div>
      <div id="esw-msg" role="status" class="notice small" />
    </section>
  );
}
