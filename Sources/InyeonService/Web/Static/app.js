// Inyeon's pages work without this script; it only adds conveniences.
// Read aloud: the main text of the page, in Korean (or English) at a slow rate, with the browser's own voice.
(function () {
  "use strict";
  // A button reads the element named by its data-read (a card, a message, a question) or, without
  // one, the page's main text: headings, paragraphs, list items, labels and a question's answers, each
  // once, without the reading buttons themselves. Pressed again, it stops.
  var readable = "h1, h2, h3, p, li, label, legend, dt, dd, th, td, button.answer";
  function readAloud(button) {
    var synth = window.speechSynthesis;
    if (synth.speaking) { synth.cancel(); return; }
    var target = button.getAttribute("data-read");
    var root = ((target && document.getElementById(target)) || document.getElementById("main")).cloneNode(true);
    Array.prototype.forEach.call(root.querySelectorAll(".read-aloud, .read-aloud-row, [hidden], script, .actions, .read-skip"), function (skip) {
      skip.parentNode.removeChild(skip);
    });
    var blocks = Array.prototype.filter.call(root.querySelectorAll(readable), function (element) {
      return !element.querySelector(readable);
    });
    var text = (blocks.length ? blocks : [root]).map(function (element) { return element.textContent.replace(/\s+/g, " ").trim(); })
      .filter(Boolean).join(". ");
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = button.getAttribute("data-lang") === "en" ? "en-US" : "ko-KR";
    utterance.rate = 0.8;
    synth.speak(utterance);
  }
  // One listener for every reading button, including those on messages that arrive later.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".read-aloud") : null;
    if (button && "speechSynthesis" in window) { readAloud(button); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (!("speechSynthesis" in window)) { document.documentElement.classList.add("no-speech"); }
    // Every password field gets a button that shows what was typed (one typo at sign-up used to lock people out).
    var root = document.documentElement;
    Array.prototype.forEach.call(document.querySelectorAll("input[type=password]"), function (field) {
      var toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "button button-secondary reveal-password";
      toggle.textContent = root.getAttribute("data-show-password");
      toggle.setAttribute("aria-controls", field.id);
      toggle.addEventListener("click", function () {
        var shown = field.type === "password";
        field.type = shown ? "text" : "password";
        toggle.textContent = root.getAttribute(shown ? "data-hide-password" : "data-show-password");
      });
      field.insertAdjacentElement("afterend", toggle);
    });
    // Actions that cannot be undone ask once more (data-confirm holds the question).
    Array.prototype.forEach.call(document.querySelectorAll("button[data-confirm]"), function (confirmable) {
      confirmable.addEventListener("click", function (event) {
        if (!window.confirm(confirmable.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
