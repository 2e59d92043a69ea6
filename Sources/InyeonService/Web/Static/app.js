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
    // A failed form: its summary takes the focus, and each of its links moves the focus to its field
    // (the GOV.UK pattern), with the field's label in view.
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
      Array.prototype.forEach.call(summary.querySelectorAll("a[href^='#']"), function (link) {
        link.addEventListener("click", function (event) {
          var field = document.getElementById(link.getAttribute("href").slice(1));
          if (!field) { return; }
          event.preventDefault();
          var label = document.querySelector("label[for='" + field.id + "']") || field;
          var legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
          (legend && field.type === "radio" ? legend : label).scrollIntoView({ block: "start" });
          field.focus({ preventScroll: true });
        });
      });
    }
    // The place: 시·도 first, then only its 시·군·구 (without script, one list grouped by 시·도).
    var region = document.querySelector("[data-place-region]");
    var district = document.querySelector("[data-place-district]");
    if (region && district) {
      var groups = Array.prototype.map.call(district.querySelectorAll("optgroup"), function (group) { return group.cloneNode(true); });
      var placeholder = district.querySelector("option[value='']").cloneNode(true);
      var showDistricts = function () {
        var chosen = district.value;
        if (!region.value && chosen) { region.value = chosen.split("|")[0]; }
        while (district.firstChild) { district.removeChild(district.firstChild); }
        district.appendChild(placeholder.cloneNode(true));
        groups.forEach(function (group) {
          if (group.getAttribute("data-region") !== region.value) { return; }
          Array.prototype.forEach.call(group.children, function (option) { district.appendChild(option.cloneNode(true)); });
        });
        district.value = chosen && chosen.split("|")[0] === region.value ? chosen : "";
        district.disabled = !region.value;
      };
      region.addEventListener("change", showDistricts);
      showDistricts();
    }
    // "전체 동의": one tick for every consent; any item unticked unticks it.
    var agreeAll = document.querySelector("[data-agree-all]");
    if (agreeAll) {
      var items = document.querySelectorAll("[data-consent]");
      var sync = function () { agreeAll.checked = Array.prototype.every.call(items, function (item) { return item.checked; }); };
      agreeAll.addEventListener("change", function () {
        Array.prototype.forEach.call(items, function (item) { item.checked = agreeAll.checked; });
      });
      Array.prototype.forEach.call(items, function (item) { item.addEventListener("change", sync); });
      sync();
    }
    // The birth year shows the age it means, as it is typed.
    var ageWrap = document.getElementById("birth-year-wrap");
    var birthYear = document.getElementById("birth-year");
    if (ageWrap && birthYear) {
      var ageHelp = document.getElementById("birth-year-help");
      var showAge = function () {
        var year = parseInt(birthYear.value, 10);
        var age = Number(ageWrap.getAttribute("data-year-now")) - year;
        var plausible = /^\d{4}$/.test(birthYear.value.trim()) && age >= 18 && age <= 100;
        ageHelp.textContent = plausible ? ageWrap.getAttribute("data-age-template").replace("%d", String(age)) : "";
        ageHelp.hidden = !plausible;
      };
      birthYear.addEventListener("input", showAge);
    }
    // Actions that cannot be undone ask once more (data-confirm holds the question).
    Array.prototype.forEach.call(document.querySelectorAll("button[data-confirm]"), function (confirmable) {
      confirmable.addEventListener("click", function (event) {
        if (!window.confirm(confirmable.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
