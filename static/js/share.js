// The story page's "Copy link" button: shown only where it can work, it copies the story's
// address and says so in a status line that screen readers announce.
(function () {
  "use strict";
  var button = document.querySelector(".share-copy");
  var status = document.querySelector(".share-status");
  if (!button || !status || !navigator.clipboard || !window.isSecureContext) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var url = button.getAttribute("data-share-url");
    navigator.clipboard.writeText(url).then(
      function () {
        status.textContent = "Link copied.";
      },
      function () {
        status.textContent = "Could not copy the link: " + url;
      }
    );
  });
})();
