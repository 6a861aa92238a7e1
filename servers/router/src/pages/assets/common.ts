import { i18nRuntime } from "../i18n/runtime";

/**
 * Shared by every page script (prepended, so each page loads one file): the page's language (its
 * messages come as JSON in `#rg-i18n`, formatted by the same runtime as on the server: `rg.t`,
 * `rg.eta`, `rg.seconds`, `rg.date`, …), `<time data-local>` shown in the reader's own time zone,
 * a tiny JSON fetch helper and the notice boxes. No build step.
 */
export const commonJs = `"use strict";
var rg = {
  $: function (id) { return document.getElementById(id); },
  localTimes: function (scope) {
    var nodes = (scope || document).querySelectorAll("time[data-local]");
    for (var i = 0; i < nodes.length; i++) {
      var text = rg.date(nodes[i].getAttribute("datetime"));
      if (text) nodes[i].textContent = text;
    }
  },
  // Resolves {status, body, retryAfter (s)}; rejects only when the network fails or the answer is not JSON.
  json: function (method, url, body) {
    var init = { method: method, credentials: "same-origin", cache: "no-store", headers: { accept: "application/json" } };
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (res) {
      var retry = Number(res.headers.get("retry-after")) || 0;
      if (res.status === 204) return { status: 204, body: null, retryAfter: retry };
      return res.json().then(function (b) { return { status: res.status, body: b, retryAfter: retry }; });
    });
  },
  text: function (el, value) { if (el && el.textContent !== String(value)) el.textContent = String(value); },
  // Fills a notice box: a bold title, a sentence, and an optional [href, label] link after it.
  notice: function (box, kind, title, detail, link) {
    box.className = "notice " + kind;
    box.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = title;
    var p = document.createElement("p");
    p.textContent = detail + " ";
    if (link) {
      var a = document.createElement("a");
      a.href = link[0];
      a.textContent = link[1];
      p.appendChild(a);
    }
    box.appendChild(strong);
    box.appendChild(p);
  },
};
(function () {
  var data = rg.$("rg-i18n");
  var page = data ? JSON.parse(data.textContent) : { locale: "en", hourCycle: null, messages: {} };
  var runtime = (${i18nRuntime.toString()})(page.locale, page.messages, page.hourCycle || undefined, undefined);
  for (var name in runtime) rg[name] = runtime[name];
})();
rg.localTimes();
`;
