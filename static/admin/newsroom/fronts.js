"use strict";
// The arranging page of a front: search as you type to add a story, drag or ↑/↓ to reorder,
// add and remove blocks. The form posts each story as a hidden field, in page order.
document.addEventListener("DOMContentLoaded", () => {
  const arranger = document.querySelector(".front-arranger");
  if (!arranger) return;
  const form = document.getElementById("front-form");
  const input = document.getElementById("front-search-input");
  const results = document.getElementById("front-search-results");
  let newBlocks = 0;

  const areas = () => Array.from(form.querySelectorAll(".front-area"));
  const areaName = (area) =>
    area.dataset.area === "block"
      ? area.querySelector("input[type=text]").value.trim() || "the untitled block"
      : area.querySelector("h2").textContent.trim();
  const placed = () => new Set(Array.from(form.querySelectorAll("[data-story]"), (li) => li.dataset.story));

  function refresh() {
    const lead = form.querySelector('[data-area="lead"] .front-list');
    const top = form.querySelector('[data-area="top"] .front-list');
    while (lead.children.length > 1) top.prepend(lead.lastElementChild);
    for (const area of areas()) {
      const list = area.querySelector(".front-list");
      area.querySelector(".front-empty").hidden = list.children.length > 0;
      for (const item of list.children) item.querySelector("input").name = area.dataset.field;
    }
  }

  function storyItem(story) {
    const item = document.createElement("li");
    item.className = "front-story";
    item.draggable = true;
    item.dataset.story = story.id;
    const hidden = Object.assign(document.createElement("input"), { type: "hidden", value: story.id });
    const text = document.createElement("span");
    text.className = "front-story-text";
    const headline = document.createElement("strong");
    headline.textContent = story.headline;
    const meta = document.createElement("span");
    meta.className = "front-story-meta";
    meta.textContent = `${story.section} · ${story.state}`;
    text.append(headline, " ", meta);
    const tools = document.createElement("span");
    tools.className = "front-story-tools";
    for (const [label, attribute, value, name] of [
      ["↑", "data-move", "up", `Move “${story.headline}” up`],
      ["↓", "data-move", "down", `Move “${story.headline}” down`],
      ["Remove", "data-remove", "", `Take “${story.headline}” off the front`],
    ]) {
      const button = Object.assign(document.createElement("button"), { type: "button", className: "button", textContent: label });
      button.setAttribute(attribute, value);
      button.setAttribute("aria-label", name);
      tools.append(button);
    }
    item.append(hidden, text, tools);
    return item;
  }

  function place(story, area) {
    const list = area.querySelector(".front-list");
    if (area.dataset.max === "1" && list.children.length) {
      // The lead chosen before moves to the top of the top stories.
      const top = form.querySelector('[data-area="top"] .front-list');
      top.prepend(list.firstElementChild);
    }
    list.append(storyItem(story));
    refresh();
    search();
  }

  // Search as you type.
  let timer = null;
  let asked = 0;
  async function search() {
    const query = input.value.trim();
    const mine = ++asked;
    if (!query) {
      results.replaceChildren();
      return;
    }
    const url = `${arranger.dataset.searchUrl}?q=${encodeURIComponent(query)}`;
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (mine !== asked) return;
    if (!response.ok) {
      results.replaceChildren(Object.assign(document.createElement("li"), { textContent: "The search failed: try again." }));
      return;
    }
    const { stories } = await response.json();
    const already = placed();
    const items = stories.map((story) => {
      const item = document.createElement("li");
      const text = document.createElement("span");
      text.textContent = `${story.headline} (${story.section} · ${story.state})`;
      item.append(text);
      if (already.has(String(story.id))) {
        item.append(" — on the front");
        return item;
      }
      for (const area of areas()) {
        const button = Object.assign(document.createElement("button"), {
          type: "button",
          className: "button",
          textContent: area.dataset.area === "lead" ? "Lead" : area.dataset.area === "top" ? "Top" : areaName(area),
        });
        button.setAttribute("aria-label", `Add “${story.headline}” to ${areaName(area)}`);
        button.addEventListener("click", () => place(story, area));
        item.append(" ", button);
      }
      return item;
    });
    if (!items.length) items.push(Object.assign(document.createElement("li"), { textContent: "No published story matches." }));
    results.replaceChildren(...items);
  }
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });

  // Move, remove, blocks.
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const item = button.closest(".front-story");
    if (button.dataset.move && item) {
      const list = item.parentElement;
      const allLists = Array.from(form.querySelectorAll(".front-list"));
      if (button.dataset.move === "up") {
        if (item.previousElementSibling) list.insertBefore(item, item.previousElementSibling);
        else {
          const previous = allLists[allLists.indexOf(list) - 1];
          if (previous) placeIn(previous, item, "end");
        }
      } else if (item.nextElementSibling) {
        list.insertBefore(item.nextElementSibling, item);
      } else {
        const next = allLists[allLists.indexOf(list) + 1];
        if (next) placeIn(next, item, "start");
      }
      button.focus();
    } else if (button.hasAttribute("data-remove") && item) {
      item.remove();
    } else if (button.hasAttribute("data-remove-block")) {
      button.closest(".front-area").remove();
    } else if (button.id === "front-add-block") {
      addBlock();
    } else return;
    refresh();
  });

  function placeIn(list, item, where) {
    const area = list.closest(".front-area");
    if (area.dataset.max === "1" && list.children.length) {
      // The lead takes one story: the one there takes this one's place.
      item.parentElement.insertBefore(list.firstElementChild, item);
    }
    if (where === "end") list.append(item);
    else list.prepend(item);
  }

  function addBlock() {
    newBlocks += 1;
    const key = `new${newBlocks}`;
    const block = document.createElement("fieldset");
    block.className = "module front-area front-block";
    block.dataset.area = "block";
    block.dataset.field = `block-${key}`;
    block.innerHTML =
      `<input type="hidden" name="block" value="${key}">` +
      `<h2><label for="block-title-${key}">Block title</label></h2>` +
      `<p class="front-block-title"><input type="text" id="block-title-${key}" name="block_title-${key}" maxlength="80" required>` +
      ` <button type="button" class="button" data-remove-block>Remove this block</button></p>` +
      `<ol class="front-list"></ol><p class="front-empty">No stories in this block yet.</p>`;
    document.getElementById("front-blocks").append(block);
    block.querySelector("input[type=text]").focus();
  }
  form.addEventListener("input", (event) => {
    if (event.target.matches(".front-block-title input")) search();
  });

  // Drag and drop, between and within lists.
  let dragged = null;
  form.addEventListener("dragstart", (event) => {
    dragged = event.target.closest(".front-story");
    if (dragged) {
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.story);
      dragged.classList.add("front-dragging");
    }
  });
  form.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("front-dragging");
    dragged = null;
    refresh();
  });
  form.addEventListener("dragover", (event) => {
    const area = event.target.closest(".front-area");
    if (!dragged || !area) return;
    event.preventDefault();
    const list = area.querySelector(".front-list");
    const over = event.target.closest(".front-story");
    if (over && over !== dragged) {
      const box = over.getBoundingClientRect();
      list.insertBefore(dragged, event.clientY > box.top + box.height / 2 ? over.nextSibling : over);
    } else if (!over && dragged.parentElement !== list) {
      placeIn(list, dragged, "end");
    }
  });
  form.addEventListener("drop", (event) => {
    if (dragged) event.preventDefault();
    refresh();
  });
  refresh();

  // Leaving the page with moves not saved (placing or dismissing a proposal, undoing a change,
  // a link) asks first: those act on the front as it is stored, without what was moved here.
  const snapshot = () => new URLSearchParams(new FormData(form)).toString();
  const stored = snapshot();
  let saving = false;
  form.addEventListener("submit", () => {
    saving = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (!saving && snapshot() !== stored) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
});
