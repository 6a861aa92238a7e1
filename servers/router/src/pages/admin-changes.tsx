/**
 * The dashboard's part for issue 13.2: change an event's live settings now, schedule changes and
 * ramps, see the what-if preview (today's forecast beside the proposal's) before saving, and list
 * or cancel what is scheduled. Driven by assets/admin-changes.ts through the admin JSON API.
 */
export function ChangesPanel() {
  return (
    <details class="card" id="changes">
      <summary>
        <h2 id="changes-title">Settings and scheduled changes</h2>
      </summary>
      <form id="ch-event-form" class="inline">
        <div>
          <label for="ch-event">Event id</label>
          <input id="ch-event" type="number" min={1} required />
        </div>
        <button type="submit">Load</button>
      </form>
      <form id="ch-live-form" aria-labelledby="ch-live-title">
        <h3 id="ch-live-title">Change now</h3>
        <div class="grid">
          <div>
            <label for="ch-rpm">Threshold, entries per minute (empty: global)</label>
            <input id="ch-rpm" type="number" min={0} max={100000000} />
          </div>
          <div>
            <label for="ch-apt">Admitted per tick</label>
            <input id="ch-apt" type="number" min={1} max={100000} required />
          </div>
          <div>
            <label for="ch-cap">Running capacity</label>
            <input id="ch-cap" type="number" min={1} max={1000000} required />
          </div>
        </div>
        <p>
          <button type="submit">Apply now</button>
        </p>
        <div id="ch-live-msg" role="status" class="notice small" />
      </form>
      <form id="ch-ramp-form" aria-labelledby="ch-ramp-title">
        <h3 id="ch-ramp-title">Schedule a change or a ramp</h3>
        <div class="grid">
          <div>
            <label for="ch-setting">Setting</label>
            <select id="ch-setting">
              <option value="admitPerTick">admitted per tick</option>
              <option value="runningCapacity">running capacity</option>
              <option value="rpmThreshold">threshold</option>
            </select>
          </div>
          <div>
            <label for="ch-from">From (a single change: same as to)</label>
            <input id="ch-from" type="number" min={0} required />
          </div>
          <div>
            <label for="ch-to">To</label>
            <input id="ch-to" type="number" min={0} required />
          </div>
          <div>
            <label for="ch-start">Starts in, minutes</label>
            <input id="ch-start" type="number" min={0} step="any" value={1} required />
          </div>
          <div>
            <label for="ch-over">Over, minutes (0: one change)</label>
            <input id="ch-over" type="number" min={0} step="any" value={5} required />
          </div>
          <div>
            <label for="ch-steps">Steps</label>
            <input id="ch-steps" type="number" min={2} max={100} value={6} required />
          </div>
        </div>
        <p>
          <button type="button" id="ch-preview">
            Preview
          </button>{" "}
          <button type="submit">Schedule</button>
        </p>
        <div id="ch-ramp-msg" role="status" class="notice small" />
      </form>
      <div id="ch-forecast" class="grid" hidden>
        <figure>
          <figcaption class="small">Today (settings and what is scheduled)</figcaption>
          <svg
            id="ch-chart-current"
            class="chart"
            viewBox="0 0 300 100"
            role="img"
            aria-label="Forecast today"
          />
          <p id="ch-sum-current" class="small" />
        </figure>
        <figure>
          <figcaption class="small">With this proposal</figcaption>
          <svg
            id="ch-chart-proposed"
            class="chart"
            viewBox="0 0 300 100"
            role="img"
            aria-label="Forecast with the proposal"
          />
          <p id="ch-sum-proposed" class="small" />
        </figure>
        <p class="legend">
          <i class="w" />
          waiting
          <i />
          coupons left · dashed: last person now waiting served
        </p>
      </div>
      <h3>Scheduled</h3>
      <ul id="ch-list" class="small" />
    </details>
  );
}
