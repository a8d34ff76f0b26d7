// The body editor's “Browse...” window: choosing a photo hands its address, alt text and
// caption back to the editor's Insert figure dialog (the callback protocol the editor uses),
// then closes the window.
"use strict";

(function () {
  function start() {
    const picker = document.querySelector(".image-picker");
    if (!picker) {
      return;
    }
    const funcNum = Number(picker.dataset.funcNum);
    const status = picker.querySelector(".image-picker-status");
    picker.addEventListener("click", (event) => {
      const choice = event.target.closest(".image-choice");
      if (!choice || choice.disabled) {
        return;
      }
      const editor = window.opener && window.opener.CKEDITOR;
      if (!editor || !editor.tools || !picker.dataset.funcNum) {
        status.textContent = "The story editor that opened this window is gone. Close this window and use “Browse...” again.";
        return;
      }
      editor.tools.callFunction(funcNum, choice.dataset.url, {
        id: Number(choice.dataset.id),
        alternative_text: choice.dataset.alt,
        caption: choice.dataset.caption,
      });
      window.close();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
