// A live story's open page asks for new updates every few seconds. The answer comes from the
// page cache (or is a 304), so every reader costs the server the same as one. New updates are
// announced ("3 new updates") in a live region, never by moving the reader's focus; they are
// put on the page when the reader asks for them. Without this script a reload shows
// everything.
(function () {
  "use strict";
  var section = document.getElementById("live");
  if (!section || !section.dataset.updatesUrl || section.dataset.ended === "true") {
    return;
  }
  var list = section.querySelector(".live-entries");
  var announcer = section.querySelector(".live-announcer");
  var newestFirst = section.dataset.newestFirst === "true";
  var seconds = Math.max(2, parseInt(section.dataset.pollSeconds, 10) || 20);
  var since = section.dataset.since;
  var pending = {}; // entry id -> its latest update, not on the page yet
  var order = []; // ids of pending updates, oldest change first
  var timer = null;
  var ended = false;

  var button = document.createElement("button");
  button.type = "button";
  button.className = "button live-show-updates";
  button.hidden = true;
  button.addEventListener("click", showPending);
  announcer.parentNode.appendChild(button);

  function newCount() {
    return order.filter(function (id) {
      return !pending[id].deleted && !document.getElementById("entry-" + id);
    }).length;
  }

  function announce() {
    var count = newCount();
    var changed = order.length - count;
    var text = "";
    if (count) {
      text = count === 1 ? "1 new update" : count + " new updates";
    } else if (changed) {
      text = changed === 1 ? "1 update changed" : changed + " updates changed";
    }
    button.hidden = !text;
    button.textContent = count ? "Show " + (count === 1 ? "it" : "them") : "Show changes";
    if (announcer.textContent !== text) {
      announcer.textContent = text;
    }
  }

  function entryNode(html) {
    var holder = document.createElement("li");
    holder.innerHTML = html;
    return holder;
  }

  function firstUnpinned() {
    var items = list.children;
    for (var i = 0; i < items.length; i++) {
      if (!items[i].querySelector(".live-entry-pinned")) {
        return items[i];
      }
    }
    return null;
  }

  function place(update) {
    var existing = document.getElementById("entry-" + update.id);
    var item = existing ? existing.parentNode : null;
    if (update.deleted) {
      if (item) {
        item.remove();
      }
      return;
    }
    var node = entryNode(update.html);
    if (item && !!existing.classList.contains("live-entry-pinned") === update.pinned) {
      list.replaceChild(node, item);
      added(node);
      return;
    }
    if (item) {
      item.remove();
    }
    var empty = list.querySelector(".live-empty");
    if (empty) {
      empty.remove();
    }
    if (update.pinned) {
      list.insertBefore(node, list.firstElementChild);
    } else if (newestFirst) {
      list.insertBefore(node, firstUnpinned());
    } else {
      list.appendChild(node);
    }
    added(node);
  }

  // Tells the page's other scripts (embeds.js) about content they have not seen.
  function added(node) {
    node.dispatchEvent(new CustomEvent("newsroom:added", { bubbles: true }));
  }

  function showPending() {
    var shown = order.map(function (id) {
      return pending[id];
    });
    pending = {};
    order = [];
    shown.forEach(place);
    announce();
  }

  function remember(update) {
    // An answer repeats the last moments before `since`: what the page shows as it is, or a
    // deleted entry it never showed, is no news.
    var shown = document.getElementById("entry-" + update.id);
    var known = pending[update.id];
    if (known && known.updated === update.updated) {
      return;
    }
    if (known) {
      order.splice(order.indexOf(update.id), 1);
      delete pending[update.id];
    }
    if (update.deleted ? !shown : shown && shown.dataset.updated === update.updated) {
      return;
    }
    pending[update.id] = update;
    order.push(update.id);
  }

  function poll() {
    timer = null;
    if (document.hidden) {
      schedule();
      return;
    }
    var url = section.dataset.updatesUrl + "?since=" + encodeURIComponent(since);
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-cache" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("updates: " + response.status);
        }
        return response.json();
      })
      .then(function (answer) {
        answer.updates.forEach(remember);
        since = answer.since;
        if (answer.ended && !ended) {
          ended = true;
          var note = document.createElement("p");
          note.className = "live-ended";
          note.textContent = "This live coverage has ended. Reload the page for the full record.";
          section.insertBefore(note, announcer.parentNode);
        }
        announce();
      })
      .catch(function () {})
      .then(schedule);
  }

  function schedule() {
    if (!ended && timer === null) {
      timer = window.setTimeout(poll, seconds * 1000);
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && timer === null) {
      poll();
    }
  });
  schedule();
})();
