// The comment form of a story page. The page is cached and shared by every reader, so the
// form carries no CSRF token: when the reader starts writing (or at the latest when they
// post), this fetches a token of their own, with a fresh "started" note for the form's time
// checks. Without this script, or if the fetch fails, the post comes back with everything
// the reader typed and a token that works, so nothing is lost.
(function () {
  "use strict";
  var form = document.getElementById("comment-form");
  if (!form || !form.dataset.tokenUrl || form.elements.csrfmiddlewaretoken) {
    return;
  }
  var pending = null;

  function fetchToken() {
    if (!pending) {
      pending = fetch(form.dataset.tokenUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("token: " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          var input = document.createElement("input");
          input.type = "hidden";
          input.name = "csrfmiddlewaretoken";
          input.value = data.csrfmiddlewaretoken;
          form.appendChild(input);
          if (form.elements.started) {
            form.elements.started.value = data.started;
          }
        })
        .catch(function () {
          pending = null;
        });
    }
    return pending;
  }

  form.addEventListener("focusin", fetchToken, { once: true });
  form.addEventListener("submit", function (event) {
    if (form.elements.csrfmiddlewaretoken) {
      return;
    }
    event.preventDefault();
    Promise.resolve(fetchToken()).then(function () {
      form.submit();
    });
  });
})();
