// The focal-point picker on an image's change page. The two number fields are the source of
// truth: clicking the photo (or the arrow keys on it) fills them in, typing in them moves the
// marker, and the outlines show what each crop keeps (the same arithmetic as imaging.crop_box).
"use strict";

(function () {
  const STEP = 0.01;
  const BIG_STEP = 0.1;

  function clamp(value, lowest, highest) {
    return Math.max(lowest, Math.min(value, highest));
  }

  function cropBox(width, height, aspect, focal) {
    const [aspectWidth, aspectHeight] = aspect;
    const [focalX, focalY] = focal || [0.5, 0.5];
    if (width * aspectHeight > height * aspectWidth) {
      const cropWidth = Math.max(1, Math.round((height * aspectWidth) / aspectHeight));
      const left = clamp(Math.round(focalX * width - cropWidth / 2), 0, width - cropWidth);
      return [left, 0, cropWidth, height];
    }
    const cropHeight = Math.max(1, Math.round((width * aspectHeight) / aspectWidth));
    const top = clamp(Math.round(focalY * height - cropHeight / 2), 0, height - cropHeight);
    return [0, top, width, cropHeight];
  }

  function setUp(picker) {
    const width = Number(picker.dataset.width);
    const height = Number(picker.dataset.height);
    const frame = picker.querySelector(".focal-frame");
    const marker = picker.querySelector(".focal-marker");
    const crops = picker.querySelectorAll(".focal-crop");
    const status = picker.querySelector(".focal-status");
    const clear = picker.querySelector(".focal-clear");
    const form = picker.closest("form");
    const inputX = form && form.querySelector("input[name='focal_x']");
    const inputY = form && form.querySelector("input[name='focal_y']");
    const editable = Boolean(inputX && inputY);

    function current() {
      const source = editable
        ? [inputX.value, inputY.value]
        : [picker.dataset.focalX, picker.dataset.focalY];
      if (source[0] === undefined || source[0] === "" || source[1] === "") {
        return null;
      }
      const point = source.map(Number);
      if (point.some((value) => Number.isNaN(value) || value < 0 || value > 1)) {
        return null;
      }
      return point;
    }

    function draw() {
      const point = current();
      marker.hidden = point === null;
      if (point) {
        marker.style.left = `${point[0] * 100}%`;
        marker.style.top = `${point[1] * 100}%`;
      }
      crops.forEach((crop) => {
        const aspect = crop.dataset.aspect.split(":").map(Number);
        const [left, top, cropWidth, cropHeight] = cropBox(width, height, aspect, point);
        crop.style.left = `${(left / width) * 100}%`;
        crop.style.top = `${(top / height) * 100}%`;
        crop.style.width = `${(cropWidth / width) * 100}%`;
        crop.style.height = `${(cropHeight / height) * 100}%`;
        crop.hidden = false;
      });
    }

    function set(point) {
      if (point === null) {
        inputX.value = "";
        inputY.value = "";
        status.textContent = "Focal point cleared: crops keep the centre.";
      } else {
        inputX.value = clamp(point[0], 0, 1).toFixed(3);
        inputY.value = clamp(point[1], 0, 1).toFixed(3);
        status.textContent = `Focal point ${Math.round(inputX.value * 100)}% across, ${Math.round(inputY.value * 100)}% down.`;
      }
      draw();
    }

    draw();
    if (!editable) {
      clear.hidden = true;
      frame.removeAttribute("tabindex");
      return;
    }
    picker.classList.add("focal-picker-editable");

    frame.addEventListener("click", (event) => {
      const image = frame.querySelector("img");
      const box = image.getBoundingClientRect();
      set([(event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height]);
    });
    frame.addEventListener("keydown", (event) => {
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      const move = moves[event.key];
      if (!move) {
        return;
      }
      event.preventDefault();
      const step = event.shiftKey ? BIG_STEP : STEP;
      const point = current() || [0.5, 0.5];
      set([point[0] + move[0] * step, point[1] + move[1] * step]);
    });
    clear.addEventListener("click", () => set(null));
    inputX.addEventListener("input", draw);
    inputY.addEventListener("input", draw);
  }

  function start() {
    document.querySelectorAll("[data-focal-point]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
