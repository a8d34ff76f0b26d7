"use strict";
// The moderation queue: a card's buttons decide at once (a POST answered in JSON, no page
// load), the keys j/k move between cards, a/r/s decide, u undoes, ? shows the shortcuts.
// Each decision is announced, and the counts per state follow the server's answer.
(() => {
  const cards = () => Array.from(document.querySelectorAll(".queue-card"));
  const announcer = () => document.getElementById("queue-announcer");
  const token = () => {
    const field = document.querySelector("#changelist-form input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  };
  const undoable = [];
  const KEYS = { a: "approve", r: "reject", s: "spam" };

  function announce(text) {
    const region = announcer();
    if (region) region.textContent = text;
  }

  function focusCard(card) {
    if (!card) return;
    card.focus();
    card.scrollIntoView({ block: "nearest" });
  }

  function currentCard() {
    return document.activeElement ? document.activeElement.closest(".queue-card") : null;
  }

  function move(step) {
    const all = cards();
    const index = all.indexOf(currentCard());
    const next = index === -1 ? (step > 0 ? all[0] : all[all.length - 1]) : all[index + step];
    focusCard(next || all[index]);
  }

  function showState(card, answer) {
    card.dataset.status = answer.status;
    const badge = card.querySelector("[data-card-status]");
    badge.textContent = answer.status_label;
    badge.className = `comment-status comment-status-${answer.status}`;
    card.classList.toggle("queue-card-decided", answer.status !== "pending");
    for (const other of cards()) {
      if (other.dataset.email !== card.dataset.email) continue;
      const trust = other.querySelector(".queue-trust");
      trust.value = answer.trusted ? "untrust" : "trust";
      trust.textContent = answer.trusted ? "Stop trusting" : "Approve and trust";
    }
    for (const [status, shown] of Object.entries(answer.counts_shown)) {
      const count = document.querySelector(`.queue-count[data-count="${status}"]`);
      if (count) count.textContent = shown;
    }
  }

  async function send(card, fields) {
    if (card.dataset.busy) return null;
    card.dataset.busy = "yes";
    card.setAttribute("aria-busy", "true");
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    try {
      const response = await fetch(card.dataset.decideUrl, {
        method: "POST",
        body,
        headers: { Accept: "application/json", "X-CSRFToken": token() },
        credentials: "same-origin",
      });
      const type = response.headers.get("Content-Type") || "";
      if (!type.includes("application/json")) {
        announce("Your session has ended: sign in again, then reload the queue.");
        return null;
      }
      const answer = await response.json();
      if (!response.ok) {
        announce(answer.error || "The decision could not be made.");
        return null;
      }
      showState(card, answer);
      announce(answer.message);
      return answer;
    } catch (error) {
      announce("The newsroom could not be reached: nothing was changed. Try again.");
      return null;
    } finally {
      delete card.dataset.busy;
      card.removeAttribute("aria-busy");
    }
  }

  async function decide(card, decision) {
    if (!card.dataset.decideUrl) {
      announce("You may read the queue, not decide on comments.");
      return;
    }
    const before = card.dataset.status;
    const answer = await send(card, { decision });
    if (!answer) return;
    const trust = answer.trust_changed ? (answer.trusted ? "remove" : "add") : "";
    if (answer.changed || answer.trust_changed) {
      undoable.push({ card, status: before, from: answer.status, trust });
      announce(`${answer.message} Press u to undo.`);
    }
    const all = cards();
    focusCard(all[all.indexOf(card) + 1] || card);
  }

  async function undo() {
    const last = undoable.pop();
    if (!last) {
      announce("Nothing to undo.");
      return;
    }
    const fields = { decision: "undo", status: last.status, from: last.from, trust: last.trust };
    if (await send(last.card, fields)) focusCard(last.card);
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest(".queue-card-actions button[name=decision]");
    if (!button) return;
    event.preventDefault();
    decide(button.closest(".queue-card"), button.value);
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.target;
    if (target.closest("input, textarea, select, [contenteditable]")) return;
    if (!document.querySelector(".queue-card")) return;
    const key = event.key;
    if (key === "j" || key === "k") {
      move(key === "j" ? 1 : -1);
    } else if (KEYS[key]) {
      const card = currentCard();
      if (!card) {
        announce("Press j to choose a comment first.");
        return;
      }
      decide(card, KEYS[key]);
    } else if (key === "u") {
      undo();
    } else if (key === "?") {
      const help = document.getElementById("queue-shortcuts");
      help.open = !help.open;
    } else {
      return;
    }
    event.preventDefault();
  });
})();
