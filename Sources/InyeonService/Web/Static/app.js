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
    // Actions that cannot be undone ask once more (data-confirm holds the question).
    Array.prototype.forEach.call(document.querySelectorAll("button[data-confirm]"), function (confirmable) {
      confirmable.addEventListener("click", function (event) {
        if (!window.confirm(confirmable.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
