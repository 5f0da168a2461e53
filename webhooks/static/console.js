// Staff console: refresh the queue table every 20 seconds without reloading the page.
// The page works without this script; the status line is an aria-live region, so screen
// readers hear when the number of tasks changes (and only then).
(function () {
  "use strict";
  var holder = document.getElementById("queue");
  var status = document.getElementById("queue-status");
  if (!holder || !status || !window.fetch) return;
  var url = holder.getAttribute("data-refresh-url");
  var filter = holder.getAttribute("data-status");
  var INTERVAL_MS = 20000;

  function count() {
    var table = document.getElementById("queue-table");
    return table ? parseInt(table.getAttribute("data-count"), 10) : 0;
  }

  function refresh() {
    // Do not swap the table under someone who is working in it.
    if (holder.contains(document.activeElement)) return;
    fetch(url, { credentials: "same-origin", headers: { "X-Console-Refresh": "1" } })
      .then(function (response) {
        if (response.status === 401) { window.location.reload(); return null; }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === null) return;
        var before = count();
        holder.innerHTML = html;
        var after = count();
        if (after !== before) {
          status.textContent = after + (after === 1 ? " task" : " tasks") + " (" + filter + "), updated.";
        }
      })
      .catch(function () { /* try again at the next tick */ });
  }

  window.setInterval(refresh, INTERVAL_MS);
})();
