/** Styles of the tokens and audit tables (appended to app.css). */
export const adminAuditCss = `
.table-wrap{overflow-x:auto}
table.audit{width:100%;border-collapse:collapse;font-size:.85rem}
table.audit th,table.audit td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
table.audit td.change{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.78rem;word-break:break-all}
table.audit tr.refused td{color:var(--bad)}
`;

/**
 * The dashboard's tokens and audit trail: lists, creates (showing the new token once) and
 * revokes admin tokens, and shows the trail newest first, filtered by who, page by page.
 */
export const adminAuditJs = `(function () {
  var root = rg.$("admin-audit");
  if (!root) return;
  var before = null;

  function cell(row, text, cls) {
    var td = document.createElement("td");
    if (cls) td.className = cls;
    td.textContent = text;
    row.appendChild(td);
    return td;
  }
  function when(iso) { return iso ? new Date(iso).toLocaleString() : "never"; }
  function short(v) {
    if (v === null || v === undefined) return "–";
    var s = JSON.stringify(v);
    return s.length > 160 ? s.slice(0, 157) + "…" : s;
  }
  function say(kind, text) {
    var box = rg.$("token-msg");
    box.className = "notice small " + kind;
    box.textContent = text;
  }
  function problem(r) { return r.body && r.body.error ? r.body.error.message : "HTTP " + r.status; }

  function loadTokens() {
    rg.json("GET", "/admin/api/tokens").then(function (r) {
      if (r.status !== 200) return;
      var body = rg.$("token-rows");
      body.textContent = "";
      r.body.tokens.forEach(function (t) {
        var row = document.createElement("tr");
        cell(row, t.name);
        cell(row, when(t.createdAt) + " by " + t.createdBy);
        cell(row, when(t.lastUsedAt));
        cell(row, t.revokedAt ? "revoked " + when(t.revokedAt) + " by " + t.revokedBy : "live");
        var actions = cell(row, "");
        if (!t.revokedAt) {
          var b = document.createElement("button");
          b.type = "button";
          b.textContent = "Revoke";
          b.setAttribute("aria-label", "Revoke " + t.name);
          b.addEventListener("click", function () {
            if (!window.confirm("Revoke " + t.name + "? Its sessions end at once.")) return;
            rg.json("DELETE", "/admin/api/tokens/" + encodeURIComponent(t.name)).then(function (res) {
              if (res.status === 200) say("ok", "Revoked " + t.name + ".");
              else say("bad", "Not revoked: " + problem(res));
              refresh();
            });
          });
          actions.appendChild(b);
        }
        body.appendChild(row);
      });
    }).catch(function () {});
  }

  function loadTrail(more) {
    var actor = rg.$("audit-actor").value.trim();
    var q = "?limit=50" + (actor ? "&actor=" + encodeURIComponent(actor) : "") + (more && before ? "&before=" + before : "");
    rg.$("audit-csv").href = "/admin/api/audit?format=csv&limit=10000" + (actor ? "&actor=" + encodeURIComponent(actor) : "");
    rg.json("GET", "/admin/api/audit" + q).then(function (r) {
      if (r.status !== 200) return;
      var body = rg.$("audit-rows");
      if (!more) body.textContent = "";
      r.body.entries.forEach(function (e) {
        var row = document.createElement("tr");
        if (e.status >= 400) row.className = "refused";
        cell(row, when(e.at));
        cell(row, e.token === null ? "(not signed in)" : e.operator ? e.operator + " (token " + e.token + ")" : e.token);
        cell(row, e.action + (e.target && e.action.indexOf(e.target) < 0 ? " " + e.target : ""));
        cell(row, String(e.status));
        cell(row, short(e.before) + " → " + short(e.after), "change");
        body.appendChild(row);
      });
      before = r.body.next;
      rg.$("audit-more").hidden = before === null;
    }).catch(function () {});
  }

  function refresh() { loadTokens(); loadTrail(false); }

  rg.$("token-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var name = rg.$("token-name").value.trim();
    rg.json("POST", "/admin/api/tokens", { name: name }).then(function (r) {
      if (r.status === 201) {
        say("ok", "Token " + r.body.name + ": " + r.body.token + " — copy it now, it is never shown again.");
        rg.$("token-form").reset();
      } else say("bad", "Not created: " + problem(r));
      refresh();
    }).catch(function () { say("bad", "Not created: the server could not be reached."); });
  });
  rg.$("audit-filter").addEventListener("submit", function (e) { e.preventDefault(); loadTrail(false); });
  rg.$("audit-more").addEventListener("click", function () { loadTrail(true); });
  refresh();
  // New entries (the operator's own changes, others') show up without a reload.
  setInterval(function () { if (!before || rg.$("audit-rows").children.length <= 50) loadTrail(false); }, 5000);
})();
`;
