// Small progressive enhancements for the admin pages; every form also works without them.
(function () {
  "use strict";

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  // Forms that ask before doing something that cannot be undone.
  each("form.js-confirm", function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  // Board form: buttons that fill in a common screen size.
  each(".js-size", function (button) {
    button.addEventListener("click", function () {
      document.getElementById("width").value = button.dataset.w;
      document.getElementById("height").value = button.dataset.h;
    });
  });

  // Copy a read-only value (the player address) to the clipboard.
  each("[data-copy]", function (button) {
    var input = document.getElementById(button.dataset.copy);
    input.addEventListener("focus", function () { input.select(); });
    button.addEventListener("click", function () {
      input.select();
      var done = function () { document.getElementById("copied").hidden = false; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done);
      } else if (document.execCommand("copy")) {
        done();
      }
    });
  });

  // Playlist rows: move a row up or down, add a row.
  var body = document.querySelector("#rows tbody");
  if (!body) return;

  function renumber() {
    Array.prototype.forEach.call(body.rows, function (row, i) {
      row.querySelector(".pos").textContent = String(i + 1);
    });
  }

  body.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var row = button.closest("tr");
    if (button.classList.contains("js-up") && row.previousElementSibling) {
      body.insertBefore(row, row.previousElementSibling);
    } else if (button.classList.contains("js-down") && row.nextElementSibling) {
      body.insertBefore(row.nextElementSibling, row);
    }
    renumber();
    button.focus();
  });

  var add = document.getElementById("add-row");
  if (add) {
    add.addEventListener("click", function () {
      var copy = body.rows[body.rows.length - 1].cloneNode(true);
      var n = body.rows.length + 1;
      copy.querySelectorAll("select, input").forEach(function (el) {
        el.value = "";
        el.id = el.id.replace(/\d+$/, String(n));
      });
      copy.querySelectorAll("label").forEach(function (el) {
        el.htmlFor = el.htmlFor.replace(/\d+$/, String(n));
      });
      body.appendChild(copy);
      renumber();
      copy.querySelector("select").focus();
    });
  }
})();
