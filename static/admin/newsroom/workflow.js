"use strict";
// The story form's workflow panel: confirm a withdrawal, copy the preview link.
document.addEventListener("click", (event) => {
  const confirmed = event.target.closest("[data-confirm]");
  if (confirmed && !window.confirm(confirmed.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  const copy = event.target.closest("[data-copy]");
  if (copy) {
    const field = document.getElementById(copy.dataset.copy);
    const status = copy.parentElement.querySelector(".workflow-copied");
    field.select();
    navigator.clipboard.writeText(field.value).then(
      () => { status.textContent = "Copied."; },
      () => { status.textContent = "Select the link and copy it."; },
    );
  }
});
