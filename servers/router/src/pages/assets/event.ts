/**
 * The event page's script: refreshes the remaining stock, keeps an admitted user's slot alive
 * (a status call every 4 s: the time to act is at least 5 s), sends "Get coupon" to the JSON API (the
 * router turns the admission cookie into the bearer token), says the result in plain words, and
 * lists the user's coupons afterwards. Without it, the button posts a form the server answers.
 */
export const eventJs = `(function () {
  var root = rg.$("event");
  if (!root) return;
  var id = root.getAttribute("data-event");
  var form = rg.$("issue-form");
  var result = rg.$("result");

  function remaining() {
    rg.json("GET", "/api/events/" + id).then(function (r) {
      if (r.status !== 200) return;
      var left = r.body.remaining;
      rg.text(rg.$("remaining"), left > 0 ? rg.t("event.remaining", { left: left, stock: r.body.stock }) : rg.t("event.noneLeft"));
    }).catch(function () {}).then(function () { setTimeout(remaining, 3000); });
  }

  function say(kind, title, detail, link) {
    rg.notice(result, kind, title, detail, link);
  }

  function expired() {
    rg.$("issue").hidden = true;
    say("warn", rg.t("event.expired"), rg.t("event.expiredDetail"), ["/events/" + id, rg.t("event.rejoin")]);
  }

  // An admitted user keeps the slot only while showing signs of life (a status call is one);
  // a closed tab stops them, and the slot goes to the next person within the time to act.
  function heartbeat() {
    if (!form || rg.$("issue").hidden) return;
    rg.json("GET", "/api/queue/" + id + "/status").then(function (r) {
      var code = r.body && r.body.error ? r.body.error.code : "";
      if (code === "not_in_queue") expired();
    }).catch(function () {}).then(function () { setTimeout(heartbeat, 4000); });
  }

  function coupons() {
    return rg.json("GET", "/api/me/coupons").then(function (r) {
      if (r.status !== 200) return;
      var list = rg.$("coupon-list");
      list.textContent = "";
      r.body.coupons.forEach(function (c) {
        var li = document.createElement("li");
        var code = document.createElement("span");
        code.className = "code";
        code.textContent = c.couponId;
        var meta = document.createElement("div");
        meta.className = "small muted";
        meta.textContent = (String(c.eventId) === id ? rg.t("event.thisDrop") : rg.t("event.otherDrop", { id: String(c.eventId) })) +
          " · " + rg.date(c.issuedAt) + " · " + (c.state === "persisted" ? rg.t("event.persisted") : rg.t("event.pending"));
        li.appendChild(code);
        li.appendChild(meta);
        list.appendChild(li);
      });
      rg.$("coupons").hidden = r.body.coupons.length === 0;
    }).catch(function () {});
  }

  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      button.textContent = rg.t("event.getting");
      rg.json("POST", "/api/events/" + id + "/issue").then(function (r) {
        var code = r.body && r.body.error ? r.body.error.code : "";
        if (r.status === 201) {
          rg.$("issue").hidden = true;
          say("ok", rg.t("event.issued", { code: r.body.couponId }), rg.t("event.issuedDetail"));
        } else if (code === "already_issued") {
          rg.$("issue").hidden = true;
          say("ok", rg.t("event.already"), rg.t("event.alreadyDetail"));
        } else if (code === "sold_out") {
          rg.$("issue").hidden = true;
          say("bad", rg.t("event.soldOut"), rg.t("event.soldOutDetail"), ["/", rg.t("event.otherDrops")]);
        } else if (code === "not_admitted") {
          expired();
        } else if (code === "event_not_open") {
          rg.$("issue").hidden = true;
          say("bad", rg.t("event.notOpen"), rg.t("event.notOpenDetail"), ["/", rg.t("event.otherDrops")]);
        } else {
          throw new Error("HTTP " + r.status);
        }
        return coupons();
      }).catch(function () {
        say("warn", rg.t("event.offline"), rg.t("event.offlineDetail"));
      }).then(function () {
        button.disabled = false;
        button.textContent = rg.t("event.getCoupon");
      });
    });
  }
  setTimeout(remaining, 3000);
  setTimeout(heartbeat, 4000);
})();
`;
