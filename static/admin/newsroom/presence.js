"use strict";
// A story's change form tells the site it is still open, and shows who else has it open.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.querySelector(".presence[data-presence-url]");
  if (!panel) return;
  const url = panel.dataset.presenceUrl;
  const seconds = Number(panel.dataset.heartbeat) || 20;
  const others = panel.querySelector(".presence-others");
  const taken = panel.querySelector(".presence-taken");
  const takeOver = panel.querySelector(".presence-take-over");
  const token = () => document.querySelector("input[name=csrfmiddlewaretoken]").value;

  function show(state) {
    others.replaceChildren();
    state.others.forEach((other, index) => {
      if (index) others.append("; ");
      const span = document.createElement("span");
      span.className = "presence-other";
      span.textContent = `${other.name} is editing this story, since ${other.since}`;
      others.append(span);
    });
    if (takeOver) takeOver.hidden = state.others.length === 0;
    if (state.taken_over_by) {
      taken.textContent =
        `${state.taken_over_by.name} took over this story at ${state.taken_over_by.at}. ` +
        "Your changes are still in the form; if they save first, your save is refused and you can merge.";
      taken.hidden = false;
    }
  }

  async function beat() {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "X-CSRFToken": token(), Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) show(await response.json());
    } catch (error) {
      // Offline for a moment: the next beat tries again.
    }
  }

  setInterval(beat, seconds * 1000);
  window.addEventListener("pagehide", () => {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", token());
    data.append("leave", "1");
    navigator.sendBeacon(url, data);
  });
});
