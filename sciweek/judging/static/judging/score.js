// The score form: each slider moves with its number box, and the total follows (weights as data).
(function () {
  const form = document.getElementById("score-form");
  if (!form) return;
  const total = document.getElementById("total");
  function update() {
    let sum = 0;
    form.querySelectorAll("input[type=number][data-weight]").forEach(function (box) {
      const v = parseFloat(box.value);
      if (!isNaN(v)) sum += (v / parseFloat(box.dataset.max)) * parseFloat(box.dataset.weight);
    });
    total.textContent = sum.toFixed(1).replace(/\.0$/, "");
  }
  form.querySelectorAll("input[type=range][data-pair]").forEach(function (slider) {
    const box = document.getElementById(slider.dataset.pair);
    slider.addEventListener("input", function () { box.value = slider.value; update(); });
    box.addEventListener("input", function () { if (box.value !== "") slider.value = box.value; update(); });
  });
  update();
  // Tests (and anything else) can wait for this before moving a slider: before it, nothing follows.
  form.dataset.ready = "1";
})();
