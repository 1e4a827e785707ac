/* espoo-network explorer: a day typed and shown as ISO (YYYY-MM-DD), whatever the browser's locale.

   An <input type=date> shows and takes the browser's format (mm/dd/yyyy in an en-US browser),
   while the data, the API and the CLI speak ISO days and Finnish users write d.m.yyyy. A day
   field here is a text field: it shows YYYY-MM-DD, takes YYYY-MM-DD or d.m.yyyy (turned into
   ISO), and says in words what is wrong with anything else (no silent guess: 03/04/2024 could
   be either). Keyboard: Enter applies, Escape puts back the day in force, ArrowUp/ArrowDown a
   day later/earlier, PageUp/PageDown a month, Shift+PageUp/PageDown a year (applied after a
   short pause). A calendar button opens the browser's own picker, whose answer is an ISO day. */
(function () {
  "use strict";
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"];
  var HOW = "write it as YYYY-MM-DD (2024-05-20) or as d.m.yyyy (20.5.2024)";

  function pad(n, width) { var s = String(n); while (s.length < width) s = "0" + s; return s; }
  function daysIn(year, month) { return new Date(Date.UTC(year, month, 0)).getUTCDate(); }
  function iso(y, m, d) { return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2); }
  function quoted(text) { return "\u201c" + (text.length > 40 ? text.slice(0, 40) + "\u2026" : text) + "\u201d"; }

  // {day: "YYYY-MM-DD"} for a real calendar day, {day: ""} for nothing typed, {error: message}.
  function parse(text) {
    var t = String(text === undefined || text === null ? "" : text).trim(), m, y, mo, d;
    if (!t) return { day: "" };
    if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t))) { y = +m[1]; mo = +m[2]; d = +m[3]; }
    else if ((m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?$/.exec(t))) { d = +m[1]; mo = +m[2]; y = +m[3]; }
    else if (/^\d{1,4}[\/]\d{1,2}[\/]\d{1,4}$/.test(t))
      return { error: quoted(t) + " is ambiguous (month/day or day/month?): " + HOW + "." };
    else if (/^\d{4}(-\d{1,2})?$/.test(t))
      return { error: quoted(t) + " is not a whole day: " + HOW + "." };
    else return { error: quoted(t) + " is not a day: " + HOW + "." };
    if (y < 1000) return { error: quoted(t) + ": the year must have four digits." };
    if (mo < 1 || mo > 12) return { error: quoted(t) + ": there is no month " + mo + " (months are 1 to 12)." };
    var most = daysIn(y, mo);
    if (d < 1 || d > most) return { error: quoted(t) + " is not a day: " + MONTHS[mo - 1] + " " + y + " has " + most + " days." };
    return { day: iso(y, mo, d) };
  }

  function today() { var n = new Date(); return iso(n.getFullYear(), n.getMonth() + 1, n.getDate()); }

  // The ISO day `day` moved by `days`, or by `months` (the day kept, or the month's last).
  function shift(day, days, months) {
    var p = day.split("-").map(Number), y = p[0], m = p[1], d = p[2];
    if (months) {
      var total = y * 12 + (m - 1) + months;
      y = Math.floor(total / 12); m = total % 12 + 1;
      d = Math.min(d, daysIn(y, m));
      return iso(y, m, d);
    }
    var t = new Date(Date.UTC(y, m - 1, d + (days || 0)));
    return iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
  }

  /* Make the text field `input` a day field. options:
     apply(day): called with a valid ISO day ("" for none) that differs from the one in force;
     message: the element that shows what is wrong (text only); picker: a calendar button. */
  function attach(input, options) {
    var applied = input.value.trim(), timer = null, message = options.message;
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    function say(text) {
      if (message) { message.textContent = text || ""; message.hidden = !text; }
      if (text) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    }
    function commit() {
      clearTimeout(timer);
      var r = parse(input.value);
      if (r.error) { say(r.error); return false; }
      say("");
      input.value = r.day;
      if (r.day !== applied) { applied = r.day; options.apply(r.day); }
      return true;
    }
    function step(days, months) {
      var r = parse(input.value);
      input.value = shift(r.day && !r.error ? r.day : (applied || today()), days, months);
      say("");
      clearTimeout(timer);
      timer = setTimeout(commit, 500);
    }
    input.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
      var k = ev.key, handled = true;
      if (k === "Enter") commit();
      else if (k === "Escape") { clearTimeout(timer); input.value = applied; say(""); }
      else if (k === "ArrowUp") step(1, 0);
      else if (k === "ArrowDown") step(-1, 0);
      else if (k === "PageUp") step(0, ev.shiftKey ? 12 : 1);
      else if (k === "PageDown") step(0, ev.shiftKey ? -12 : -1);
      else handled = false;
      if (handled) ev.preventDefault();
    });
    input.addEventListener("change", commit);
    input.addEventListener("input", function () { if (input.getAttribute("aria-invalid")) say(""); });
    var picker = options.picker;
    if (picker && picker.button && picker.input) {
      picker.button.addEventListener("click", function () {
        var r = parse(input.value);
        picker.input.value = r.day && !r.error ? r.day : (applied || today());
        try { picker.input.showPicker(); } catch (e) { input.focus(); }
      });
      picker.input.addEventListener("change", function () {
        if (!picker.input.value) return;
        input.value = picker.input.value;  // always YYYY-MM-DD, whatever the picker shows
        commit();
        input.focus();
      });
    }
    return {
      // Put `day` in force without calling apply (a day from the address, or "Today").
      set: function (day) { clearTimeout(timer); applied = day || ""; input.value = applied; say(""); },
      get: function () { return applied; },
      commit: commit,
      say: say
    };
  }

  window.EspooDates = { parse: parse, shift: shift, today: today, attach: attach };
})();
