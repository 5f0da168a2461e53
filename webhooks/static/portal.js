// Portal chat: sends through the portal (never to Rasa directly), shows a typing indicator,
// renders quick replies, and appends messages to a live region that screen readers announce.
(function () {
  "use strict";
  var root = document.querySelector(".chat");
  if (!root) { return; }
  var log = document.getElementById("chat-log");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("message");
  var typing = document.getElementById("typing");
  var replies = document.getElementById("quick-replies");
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var busy = false;

  function add(from, text) {
    var item = document.createElement("li");
    item.className = "bubble " + from;
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = (from === "patient" ? root.dataset.you : root.dataset.assistant) + ": ";
    item.appendChild(who);
    item.appendChild(document.createTextNode(text));
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function showButtons(buttons) {
    replies.textContent = "";
    (buttons || []).forEach(function (b) {
      var chip = document.createElement("button");
      chip.type = "button";
      chip.className = "chip";
      chip.textContent = b.title;
      chip.dataset.payload = b.payload;
      replies.appendChild(chip);
    });
  }

  function send(message, shown) {
    if (busy || !message) { return; }
    busy = true;
    add("patient", shown || message);
    showButtons([]);
    typing.hidden = false;
    fetch(root.dataset.endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRF-Token": csrf
      },
      body: JSON.stringify({ message: message, shown: shown || message })
    }).then(function (response) {
      if (response.status === 401) {
        window.location.assign(root.dataset.signin);
        return null;
      }
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      if (!data) { return; }
      (data.messages || []).forEach(function (text) { add("assistant", text); });
      showButtons(data.buttons);
    }).catch(function () {
      add("assistant", root.dataset.error);
    }).then(function () {
      typing.hidden = true;
      busy = false;
      input.focus();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send(text);
  });

  replies.addEventListener("click", function (event) {
    var chip = event.target.closest("button.chip");
    if (chip) { send(chip.dataset.payload, chip.textContent); }
  });
})();
