// The agenda page's slots as you type: the same computation as steerco.rules.derive.
// agenda_slots (items back to back from the meeting's start, an empty duration taking no
// time), over the rows in the order the server will save them (by number, rows without
// one last, deleted and blank new rows left out). Without this script the page still
// works: the server shows the slots once the agenda is saved.
(function () {
  "use strict";
  var form = document.getElementById("agenda-form");
  if (!form || !form.dataset.start) return;
  var parts = form.dataset.start.split(":");
  var start = Number(parts[0]) * 60 + Number(parts[1]);

  function field(row, suffix) {
    return row.querySelector("[name$='-" + suffix + "']");
  }

  function clock(minutes) {
    var day = ((minutes % 1440) + 1440) % 1440;
    var h = Math.floor(day / 60), m = day % 60;
    return (h < 10 ? "0" : "") + h + ":" + (m < 10 ? "0" : "") + m;
  }

  // derive.agenda_slots: [start, end] of each duration, back to back.
  function agendaSlots(begin, durations) {
    var at = begin, slots = [];
    durations.forEach(function (minutes) {
      var end = at + (minutes || 0);
      slots.push([at, end]);
      at = end;
    });
    return slots;
  }

  function recompute() {
    var rows = Array.prototype.slice.call(form.querySelectorAll("fieldset.agenda-row"));
    var kept = [];
    rows.forEach(function (row, position) {
      var output = row.querySelector("output.agenda-slot");
      output.textContent = "";
      var id = field(row, "id"), title = field(row, "title"), del = field(row, "DELETE");
      if (del && del.checked) return;
      if ((!id || !id.value) && title && !title.value.trim()) return;
      var number = field(row, "number");
      var value = number && number.value !== "" ? Number(number.value) : null;
      var duration = field(row, "duration_minutes");
      kept.push({
        key: [value === null ? 1 : 0, value || 0, position],
        minutes: duration && duration.value !== "" ? Number(duration.value) : null,
        output: output
      });
    });
    kept.sort(function (a, b) {
      for (var i = 0; i < 3; i++) if (a.key[i] !== b.key[i]) return a.key[i] - b.key[i];
      return 0;
    });
    var slots = agendaSlots(start, kept.map(function (k) { return k.minutes; }));
    kept.forEach(function (k, n) {
      k.output.textContent = "slot " + clock(slots[n][0]) + "–" + clock(slots[n][1]);
    });
  }

  form.addEventListener("input", recompute);
  form.addEventListener("change", recompute);
  recompute();
})();
