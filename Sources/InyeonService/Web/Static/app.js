// Inyeon's pages work without this script; it only adds conveniences.
// Read aloud: the main text of the page, in Korean (or English) at a slow rate, with the browser's own voice.
(function () {
  "use strict";
  function readAloud(button) {
    if (!("speechSynthesis" in window)) { button.disabled = true; return; }
    var synth = window.speechSynthesis;
    if (synth.speaking) { synth.cancel(); return; }
    var main = document.getElementById("main");
    var text = Array.prototype.map.call(main.querySelectorAll("h1, h2, h3, p, li, label, legend"), function (element) {
      return element.textContent.trim();
    }).filter(Boolean).join(". ");
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = button.getAttribute("data-lang") === "en" ? "en-US" : "ko-KR";
    utterance.rate = 0.8;
    synth.speak(utterance);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("read-aloud");
    if (button) { button.addEventListener("click", function () { readAloud(button); }); }
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
