/* The venue poster's print button (no inline script: the CSP allows only our own files). */
(function () {
  var button = document.getElementById("print-poster");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
