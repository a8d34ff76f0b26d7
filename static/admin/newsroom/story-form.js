"use strict";
// The story form: the headline's character count, and the bylines' order (dragged by their
// handle, or moved with their arrow buttons from the keyboard). Each byline's place is
// posted in its hidden position field; the server numbers them in that order.
// The boxes made by scripts (the body's editor, the autocomplete boxes) are named by their
// field's label for screen readers, whenever they appear.
const labelOf = (id) => {
  const label = document.querySelector(`label[for="${id}"]`);
  if (label && !label.id) label.id = `${id}_label`;
  return label;
};
const nameScriptedBoxes = () => {
  const body = document.querySelector(".field-body [contenteditable][role=textbox]");
  const bodyLabel = labelOf("id_body");
  if (body && bodyLabel && !body.hasAttribute("aria-labelledby")) {
    body.setAttribute("aria-labelledby", bodyLabel.id);
    body.setAttribute("aria-multiline", "true");
  }
  document.querySelectorAll("select.admin-autocomplete[id]").forEach((select) => {
    const label = labelOf(select.id);
    const container = select.nextElementSibling;
    if (!label || !container || !container.classList.contains("select2")) return;
    const combobox = container.querySelector(".select2-selection[role=combobox]");
    const shown = container.querySelector(".select2-selection__rendered[id]");
    if (shown && shown.getAttribute("role") === "textbox" && !shown.hasAttribute("aria-labelledby")) {
      shown.setAttribute("aria-labelledby", label.id);
    }
    const names = shown ? `${label.id} ${shown.id}` : label.id;
    if (combobox && combobox.getAttribute("aria-labelledby") !== names) {
      combobox.setAttribute("aria-labelledby", names);
    }
    const search = container.querySelector(".select2-search__field");
    if (search && !search.hasAttribute("aria-label")) {
      search.setAttribute("aria-label", label.textContent.replace(/:\s*$/, ""));
    }
    // A list holds only its items: "Remove all" sits beside the chosen ones, not among them.
    const clear = container.querySelector("ul > .select2-selection__clear");
    if (clear) clear.closest(".select2-selection").append(clear);
  });
};
let naming = false;
const nameSoon = () => {
  if (naming) return;
  naming = true;
  window.requestAnimationFrame(() => { naming = false; nameScriptedBoxes(); });
};
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("#article_form");
  if (form) new MutationObserver(nameSoon).observe(form, { childList: true, subtree: true });
  nameSoon();
});
window.addEventListener("load", nameSoon);

// The headline's count against the length search engines show; the box grows with it.
const countHeadline = (headline) => {
  const guide = Number(headline.dataset.guide) || 70;
  const count = document.createElement("div");
  count.className = "headline-count";
  count.id = `${headline.id}_count`;
  headline.insertAdjacentElement("afterend", count);
  const described = headline.getAttribute("aria-describedby");
  headline.setAttribute("aria-describedby", described ? `${count.id} ${described}` : count.id);
  const show = () => {
    const length = headline.value.length;
    count.textContent = length > guide
      ? `${length} characters: ${length - guide} over the ${guide} search engines show`
      : `${length} of ${guide} characters search engines show`;
    count.classList.toggle("headline-over", length > guide);
  };
  // A long headline is read whole, on a narrow screen too.
  const grow = () => {
    headline.style.height = "auto";
    headline.style.height = `${headline.scrollHeight + 2}px`;
  };
  headline.addEventListener("input", () => { show(); grow(); });
  window.addEventListener("resize", grow);
  // A headline is one line: Enter does not break it (nor send the form).
  headline.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });
  show();
  grow();
};

// The bylines' list: its rows in order, each numbered, named and announced.
const bylineList = (group) => {
  const list = group.querySelector(".byline-list");
  const status = group.querySelector("[data-byline-status]");
  const rows = () => [...list.querySelectorAll(":scope > [data-byline]")];
  const nameOf = (row) => {
    const chosen = row.querySelector(".byline-author select option:checked");
    return chosen && chosen.value ? chosen.textContent.trim() : "Empty byline";
  };
  const renumber = () => {
    const all = rows();
    all.forEach((row, index) => {
      const position = row.querySelector("[data-byline-position]");
      if (position) position.value = index;
      const [up, down] = row.querySelectorAll("[data-byline-move]");
      if (up) {
        up.setAttribute("aria-label", `Move ${nameOf(row)} up`);
        up.disabled = index === 0;
      }
      if (down) {
        down.setAttribute("aria-label", `Move ${nameOf(row)} down`);
        down.disabled = index === all.length - 1;
      }
    });
  };
  const announce = (row) => {
    const all = rows();
    status.textContent = `${nameOf(row)}: byline ${all.indexOf(row) + 1} of ${all.length}.`;
  };
  const ready = (row) => {
    row.querySelectorAll("[data-byline-moves]").forEach((moves) => { moves.hidden = false; });
  };
  return { list, rows, renumber, announce, ready };
};

// Moving a byline up or down with its buttons; the focus stays on the byline moved.
const moveWithButtons = (bylines) => {
  bylines.list.addEventListener("click", (event) => {
    const button = event.target.closest("[data-byline-move]");
    if (!button) return;
    const row = button.closest("[data-byline]");
    const step = Number(button.dataset.bylineMove);
    const sibling = step < 0 ? row.previousElementSibling : row.nextElementSibling;
    if (!sibling) return;
    if (step < 0) sibling.before(row); else sibling.after(row);
    bylines.renumber();
    bylines.announce(row);
    const again = row.querySelector(`[data-byline-move="${step}"]`);
    (again.disabled ? row.querySelector("[data-byline-move]:not([disabled])") : again).focus();
  });
};

// Dragging a byline by its handle, with the pointer (mouse, pen or finger). Followed on the
// whole page: the pointer may leave the list, and a row moved in the page loses its capture.
const moveByDragging = (bylines) => {
  let dragged = null;
  bylines.list.addEventListener("pointerdown", (event) => {
    const handle = event.target.closest("[data-byline-handle]");
    if (!handle) return;
    event.preventDefault();
    dragged = handle.closest("[data-byline]");
    dragged.classList.add("byline-dragging");
    handle.setPointerCapture(event.pointerId);
  });
  document.addEventListener("pointermove", (event) => {
    if (!dragged) return;
    const over = bylines.rows().find((row) => {
      if (row === dragged) return false;
      const box = row.getBoundingClientRect();
      return event.clientY >= box.top && event.clientY <= box.bottom;
    });
    if (!over) return;
    const box = over.getBoundingClientRect();
    if (event.clientY < box.top + box.height / 2) over.before(dragged); else over.after(dragged);
  });
  const drop = () => {
    if (!dragged) return;
    dragged.classList.remove("byline-dragging");
    bylines.renumber();
    bylines.announce(dragged);
    dragged = null;
  };
  document.addEventListener("pointerup", drop);
  document.addEventListener("pointercancel", drop);
};

// Adding a byline: the empty form, numbered next, its author box opened.
const addBylines = (group, bylines) => {
  const template = group.querySelector("template");
  const add = group.querySelector("[data-byline-add]");
  if (!template || !add) return;
  const total = group.querySelector("input[name$='-TOTAL_FORMS']");
  const limit = group.querySelector("input[name$='-MAX_NUM_FORMS']");
  add.hidden = false;
  add.addEventListener("click", () => {
    const index = Number(total.value);
    if (limit && limit.value !== "" && index >= Number(limit.value)) return;
    const holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    const row = holder.firstElementChild;
    bylines.list.append(row);
    total.value = index + 1;
    bylines.ready(row);
    row.dispatchEvent(new CustomEvent("formset:added", {
      bubbles: true, detail: { formsetName: total.name.replace(/-TOTAL_FORMS$/, "") },
    }));
    bylines.renumber();
    const select = row.querySelector(".byline-author select");
    if (select && window.django && window.django.jQuery) {
      window.django.jQuery(select).select2("open");
    } else if (select) {
      select.focus();
    }
  });
};

document.addEventListener("DOMContentLoaded", () => {
  const headline = document.querySelector("textarea.story-headline");
  if (headline) countHeadline(headline);
  const group = document.querySelector("[data-bylines]");
  if (!group) return;
  const bylines = bylineList(group);
  moveWithButtons(bylines);
  moveByDragging(bylines);
  addBylines(group, bylines);
  bylines.list.addEventListener("change", bylines.renumber);
  bylines.rows().forEach(bylines.ready);
  bylines.renumber();
});
