// Photo upload: shows the chosen picture before it is sent, then sends its bytes; the service
// checks the content, re-encodes it and removes every piece of metadata (GPS location included).
(function () {
  "use strict";
  var form = document.getElementById("photo-form");
  if (!form) { return; }
  var input = document.getElementById("photo-file");
  var preview = document.getElementById("photo-preview");
  var error = document.getElementById("photo-error");
  input.addEventListener("change", function () {
    if (input.files && input.files[0]) { preview.src = URL.createObjectURL(input.files[0]); preview.hidden = false; }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!input.files || !input.files[0]) { input.focus(); return; }
    fetch("/profile/photos", {
      method: "POST", credentials: "same-origin", body: input.files[0],
      headers: { "X-CSRF-Token": form.getAttribute("data-csrf"), "Content-Type": "application/octet-stream" }
    }).then(function (response) {
      if (response.ok) { location.reload(); return; }
      // The reason in words when the service gave one; otherwise the general sentence already on the page.
      return response.json().then(function (body) {
        if (body && body.error) { error.textContent = body.error; }
        error.hidden = false;
        error.focus();
      }, function () { error.hidden = false; });
    }).catch(function () { error.hidden = false; });
  });
})();
