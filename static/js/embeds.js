// Embeds in a story: each is a placeholder (title, provider, link) until the reader asks for
// the provider's player. Only then is the frame made, so no request goes to a third party
// when the page loads. Without this script the placeholder's link leads to the post.
(function () {
  "use strict";

  function player(figure) {
    var kind = figure.dataset.embedKind;
    var title = figure.dataset.embedTitle;
    var element;
    if (kind === "audio" || kind === "video") {
      element = document.createElement(kind);
      element.controls = true;
      element.preload = "metadata";
    } else {
      element = document.createElement("iframe");
      element.title = title;
      element.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
      element.setAttribute("allowfullscreen", "");
      element.referrerPolicy = "strict-origin-when-cross-origin";
    }
    element.className = "embed-player";
    element.src = figure.dataset.embedFrame;
    return element;
  }

  function ready(figure) {
    var button = figure.querySelector(".embed-load");
    if (!button || figure.dataset.embedReady) {
      return;
    }
    figure.dataset.embedReady = "true";
    button.hidden = false;
    button.addEventListener("click", function () {
      var element = player(figure);
      var placeholder = figure.querySelector(".embed-placeholder");
      var caption = document.createElement("figcaption");
      caption.appendChild(figure.querySelector(".embed-title a").cloneNode(true));
      figure.classList.add("embed-loaded");
      figure.replaceChild(element, placeholder);
      figure.appendChild(caption);
      element.focus();
    });
  }

  // The embeds below `root`; a script that adds content to the page (a live story's new
  // entries) sends "newsroom:added" from the new content.
  function readyIn(root) {
    Array.prototype.forEach.call(root.querySelectorAll("figure.embed[data-embed-frame]"), ready);
  }

  readyIn(document);
  document.addEventListener("newsroom:added", function (event) {
    readyIn(event.target);
  });
})();
