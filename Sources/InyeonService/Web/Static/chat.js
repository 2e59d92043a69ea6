// The conversation page, live: without this script the page still shows the history and sends
// through the form. With it, messages go over the WebSocket (opened with a single-use ticket that
// the page asks for; the session cookie itself is never visible to script), and the other person's
// messages, typing and read receipts appear as they happen. A dropped connection resumes from the
// last message seen, so nothing is lost or shown twice.
(function () {
  "use strict";
  var list = document.getElementById("messages");
  var form = document.getElementById("chat-form");
  if (!list || !form || list.getAttribute("data-live") !== "1" || !("WebSocket" in window)) { return; }
  var conversation = list.getAttribute("data-conversation");
  var me = list.getAttribute("data-user");
  var lastSequence = Number(list.getAttribute("data-last-sequence")) || 0;
  var lastRevision = Number(list.getAttribute("data-last-revision")) || 0;
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var textarea = document.getElementById("message-text");
  var typing = document.getElementById("typing");
  var status = document.getElementById("live-status");
  var lang = document.documentElement.getAttribute("lang") === "en" ? "en" : "ko";
  var socket = null, retry = 1000, typingTimer = null, lastTypingSent = 0, pending = {};

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function time(iso) {
    var date = new Date(iso);
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    return (date.getMonth() + 1) + "/" + date.getDate() + " " + pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  // Shows a message (new or changed), in sequence order, once.
  function show(message) {
    lastSequence = Math.max(lastSequence, message.sequence);
    lastRevision = Math.max(lastRevision, message.revision);
    var existing = list.querySelector('li[data-sequence="' + message.sequence + '"]');
    var item = element("li", "message" + (message.senderId === me ? " message-mine" : ""));
    item.setAttribute("data-sequence", String(message.sequence));
    item.id = "message-" + message.sequence;
    item.appendChild(element("p", "message-sender", message.senderId === me ? list.getAttribute("data-me") : list.getAttribute("data-partner")));
    var body = element("p", "message-text");
    if (message.deletedAt) { body.appendChild(element("em", null, form.getAttribute("data-deleted"))); } else { body.textContent = message.text; }
    item.appendChild(body);
    var meta = element("p", "message-meta", time(message.sentAt) + " ");
    var reader = element("button", "button-secondary read-aloud read-item", list.getAttribute("data-read-item"));
    reader.type = "button";
    reader.setAttribute("data-read", item.id);
    reader.setAttribute("data-lang", list.getAttribute("data-lang"));
    meta.appendChild(reader);
    item.appendChild(meta);
    if (message.safetyWarning) {
      var warning = element("p", "safety-warning", message.safetyWarning.text);
      warning.setAttribute("role", "note");
      item.appendChild(warning);
    }
    if (existing) { list.replaceChild(item, existing); return; }
    var after = null;
    Array.prototype.forEach.call(list.children, function (child) {
      if (Number(child.getAttribute("data-sequence")) < message.sequence) { after = child; }
    });
    if (after && after.nextSibling) { list.insertBefore(item, after.nextSibling); } else if (after) { list.appendChild(item); } else { list.insertBefore(item, list.firstChild); }
    var empty = document.getElementById("no-messages");
    if (empty) { empty.hidden = true; }
    item.scrollIntoView({ block: "end" });
  }

  function markRead() {
    if (socket && socket.readyState === 1 && lastSequence > 0 && !document.hidden) {
      socket.send(JSON.stringify({ type: "read", sequence: lastSequence }));
    }
  }

  function showReceipt(sequence) {
    Array.prototype.forEach.call(list.querySelectorAll(".message-mine"), function (item) {
      if (Number(item.getAttribute("data-sequence")) <= sequence && !item.querySelector(".read-receipt")) {
        var meta = item.querySelector(".message-meta");
        var reader = meta.querySelector(".read-aloud");
        meta.insertBefore(document.createTextNode("· "), reader);
        meta.insertBefore(element("span", "read-receipt", form.getAttribute("data-read")), reader);
        meta.insertBefore(document.createTextNode(" "), reader);
      }
    });
  }

  function connect() {
    fetch("/chat/" + conversation + "/ticket", { method: "POST", headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error("ticket " + response.status); } return response.json(); })
      .then(function (body) {
        var scheme = location.protocol === "https:" ? "wss://" : "ws://";
        socket = new WebSocket(scheme + location.host + "/api/conversations/" + conversation + "/socket?ticket=" + encodeURIComponent(body.ticket)
          + "&after=" + lastSequence + "&afterRevision=" + lastRevision + "&lang=" + lang);
        socket.onmessage = receive;
        socket.onopen = function () { retry = 1000; };
        socket.onclose = function (event) {
          socket = null;
          if (event.code === 4001) { status.textContent = ""; form.hidden = true; return; }
          setTimeout(connect, retry);
          retry = Math.min(retry * 2, 30000);
        };
      })
      .catch(function () { setTimeout(connect, retry); retry = Math.min(retry * 2, 30000); });
  }

  function receive(event) {
    var frame = JSON.parse(event.data);
    if (frame.type === "ready") {
      document.body.setAttribute("data-chat-live", "1");
      Object.keys(pending).forEach(function (id) { socket.send(JSON.stringify({ type: "send", clientId: id, text: pending[id] })); });
      markRead(); if (frame.partnerReadSequence) { showReceipt(frame.partnerReadSequence); }
    }
    else if (frame.type === "message") { show(frame.message); if (typing) { typing.hidden = true; } markRead(); }
    else if (frame.type === "ack") { delete pending[frame.clientId]; show(frame.message); }
    else if (frame.type === "typing") { typing.hidden = false; clearTimeout(typingTimer); typingTimer = setTimeout(function () { typing.hidden = true; }, 4000); }
    else if (frame.type === "read") { showReceipt(frame.sequence); }
    else if (frame.type === "error") { status.textContent = frame.error; var error = document.getElementById("message-error"); if (!error) { error = element("p", "error"); error.id = "message-error"; error.setAttribute("role", "alert"); form.insertBefore(error, form.querySelector(".field")); } error.textContent = frame.error; }
    else if (frame.type === "closed") { status.textContent = frame.error; }
  }

  form.addEventListener("submit", function (event) {
    if (!socket || socket.readyState !== 1) { return; } // the form posts normally
    event.preventDefault();
    var text = textarea.value;
    if (!text.trim()) { return; }
    var clientId = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
    pending[clientId] = text;
    socket.send(JSON.stringify({ type: "send", clientId: clientId, text: text }));
    textarea.value = "";
    textarea.focus();
  });

  textarea.addEventListener("input", function () {
    var now = Date.now();
    if (socket && socket.readyState === 1 && now - lastTypingSent > 2000) { lastTypingSent = now; socket.send(JSON.stringify({ type: "typing" })); }
  });
  document.addEventListener("visibilitychange", markRead);
  connect();
})();
