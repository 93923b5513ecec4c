// mandate serve: small enhancements. The page works without them: the
// forms post and the server answers with the page.
(function () {
  "use strict";

  // Choosing a representative picks their group too. (The form is sent
  // by its button, not on change: moving through a list with the arrow
  // keys must not leave the page.)
  var rep = document.getElementById("representative");
  var group = document.getElementById("mandate");
  if (rep && group) {
    rep.addEventListener("change", function () {
      var option = rep.options[rep.selectedIndex];
      if (option && option.getAttribute("data-mandate")) {
        group.value = option.getAttribute("data-mandate");
      }
    });
  }

  // Find a topic: hide the ones that do not match what is typed.
  var search = document.getElementById("topics-find");
  if (search) {
    var box = search.closest(".topics-find");
    if (box) box.hidden = false;
    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().trim();
      var boxes = document.querySelectorAll("#topics .checkbox");
      for (var i = 0; i < boxes.length; i++) {
        var text = boxes[i].textContent.toLowerCase();
        var input = boxes[i].querySelector("input");
        var keep = !words || text.indexOf(words) !== -1 || (input && input.checked);
        boxes[i].hidden = !keep;
      }
    });
  }

  // After a check or a mistake, move to what the server said.
  var summary = document.getElementById("error-summary");
  var answer = document.getElementById("answer");
  if (summary) {
    summary.focus();
  } else if (answer) {
    answer.focus();
  }
})();
