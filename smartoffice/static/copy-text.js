// "Copy" buttons: <button data-copy="ID" hidden> copies the value of the field with that id and says so in the
// element with data-copied="ID" (a role=status). Without JavaScript the button stays hidden; the field is readonly
// text the person can select and copy themselves.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var id = button.getAttribute("data-copy");
    var field = document.getElementById(id);
    var status = document.querySelector('[data-copied="' + id + '"]');
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      field.select();
      var done = function () { if (status) status.textContent = button.getAttribute("data-done") || "✓"; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
})();
