import { type AdminActor, actorLabel } from "@rushgate/service";

/**
 * The dashboard's admin tokens and audit trail (script: assets/admin-audit.ts). Mounted by
 * DashboardPage; "who" is the signed-in operator and the token they signed in with.
 */
export function AdminAuditSection(props: { actor: AdminActor }) {
  return (
    <section id="admin-audit" aria-labelledby="audit-title">
      <p class="small muted">
        Signed in as <b id="audit-who">{actorLabel(props.actor)}</b>: everything you change is recorded under
        that name.
      </p>
      <details class="card">
        <summary>
          <h2 id="tokens-title">Admin tokens</h2>
        </summary>
        <p class="small muted">
          A token is shown once, when it is made; only its hash is kept. Revoking one signs out its sessions
          and refuses it on every server within a second. <code>bootstrap</code> is <code>ADMIN_TOKEN</code>:
          rotate it to revoke it.
        </p>
        <form id="token-form" class="inline" aria-labelledby="tokens-title">
          <div>
            <label for="token-name">Label of the new token</label>
            <input id="token-name" name="name" required maxlength={64} />
          </div>
          <button type="submit">Create token</button>
        </form>
        <div id="token-msg" role="status" class="notice small" />
        <div class="table-wrap">
          <table class="audit">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody id="token-rows" />
          </table>
        </div>
      </details>
      <div class="card">
        <div class="row">
          <h2 id="audit-title">Audit trail</h2>
          <a id="audit-csv" href="/admin/api/audit?format=csv&amp;limit=10000">
            Download CSV
          </a>
        </div>
        <form id="audit-filter" class="inline">
          <div>
            <label for="audit-actor">Who (token or operator)</label>
            <input id="audit-actor" name="actor" maxlength={64} />
          </div>
          <button type="submit">Filter</button>
        </form>
        <div class="table-wrap">
          <table class="audit">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Answer</th>
                <th scope="col">Before → after</th>
              </tr>
            </thead>
            <tbody id="audit-rows" />
          </table>
        </div>
        <p>
          <button type="button" id="audit-more" hidden>
            Older entries
          </button>
        </p>
      </div>
    </section>
  );
}
