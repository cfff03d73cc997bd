// Draft autosave: saves the form about one second after the last keystroke through
// PUT /api/v1/drafts/<form>, shows "Draft saved · just now" (ageing, localized),
// and handles a newer draft saved in
// another tab (409) by letting the visitor choose. Without JavaScript the form's
// "Save draft" button does the same through the HTML form.
(function () {
  'use strict';
  var form = document.querySelector('form[data-autosave]');
  if (!form || !window.fetch) return;

  var url = form.dataset.autosave;
  var lang = form.dataset.lang || 'en';
  var status = form.querySelector('[data-draft-status]');
  var conflictBox = form.querySelector('[data-conflict]');
  var versionInput = form.querySelector('input[name="version"]');
  var savedAt = form.dataset.saved ? new Date(form.dataset.saved) : null;
  var timer = null;
  var pending = null;
  var inFlight = false;
  var conflictDraft = null;
  var relative = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }) : null;
  // Times are said as the server says them: "2026-12-07 09:15 CET" (the zone's
  // abbreviation now, from the page), never a second format.
  var zoneLabel = form.dataset.zoneLabel || '';
  var parts = window.Intl ? new Intl.DateTimeFormat('en-CA', {
    timeZone: form.dataset.timezone || 'UTC', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23'
  }) : null;
  function absolute(date) {
    if (!parts) return date.toISOString();
    var p = {};
    parts.formatToParts(date).forEach(function (part) { p[part.type] = part.value; });
    return p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute + (zoneLabel ? ' ' + zoneLabel : '');
  }

  function fieldNames() {
    var names = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && ['csrf_token', 'version', 'action'].indexOf(el.name) < 0 && names.indexOf(el.name) < 0) names.push(el.name);
    });
    return names;
  }

  function collect() {
    var fields = {};
    fieldNames().forEach(function (name) {
      var el = form.elements[name];
      if (el.type === 'checkbox') fields[name] = el.checked ? 'on' : '';
      else fields[name] = el.value;
    });
    return fields;
  }

  function fill(fields) {
    fieldNames().forEach(function (name) {
      var el = form.elements[name];
      var value = fields[name] || '';
      if (el.type === 'checkbox') el.checked = value === 'on';
      else el.value = value;
    });
  }

  function ago(date) {
    var seconds = Math.round((date.getTime() - Date.now()) / 1000);
    if (Math.abs(seconds) < 60 || !relative) return form.dataset.textJustNow;
    var minutes = Math.round(seconds / 60);
    if (Math.abs(minutes) < 60) return relative.format(minutes, 'minute');
    var hours = Math.round(minutes / 60);
    if (Math.abs(hours) < 24) return relative.format(hours, 'hour');
    return relative.format(Math.round(hours / 24), 'day');
  }

  function showSaved() {
    if (!savedAt) return;
    status.textContent = form.dataset.textSaved + ' · ';
    var time = document.createElement('time');
    time.dateTime = savedAt.toISOString();
    time.textContent = ago(savedAt);
    time.title = absolute(savedAt);
    status.appendChild(time);
  }

  function showConflict(draft) {
    conflictDraft = draft;
    var when = draft ? ' (' + absolute(new Date(draft.updated_at)) + ')' : '';
    conflictBox.querySelector('[data-conflict-text]').textContent = form.dataset.textConflict + when;
    conflictBox.hidden = false;
    status.textContent = form.dataset.textConflict;
  }

  function save(force) {
    timer = null;
    if (conflictDraft && !force) return;
    if (inFlight) { pending = true; return; }
    inFlight = true;
    status.textContent = form.dataset.textSaving;
    var body = { fields: collect(), version: Number(versionInput.value) || 0 };
    fetch(url, {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (json) { return { status: response.status, json: json }; });
    }).then(function (result) {
      if (result.status === 200) {
        versionInput.value = result.json.version;
        savedAt = new Date(result.json.updated_at);
        showSaved();
      } else if (result.status === 409) {
        showConflict(result.json.draft);
      } else {
        status.textContent = form.dataset.textFailed;
      }
    }).catch(function () {
      status.textContent = form.dataset.textFailed;
    }).then(function () {
      inFlight = false;
      if (pending) { pending = false; save(); }
    });
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 1000);
  }

  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  form.addEventListener('submit', function () { if (timer) clearTimeout(timer); });

  conflictBox.querySelector('[data-use-saved]').addEventListener('click', function () {
    if (conflictDraft) {
      fill(conflictDraft.fields);
      versionInput.value = conflictDraft.version;
      savedAt = new Date(conflictDraft.updated_at);
    } else {
      versionInput.value = 0;
    }
    conflictDraft = null;
    conflictBox.hidden = true;
    showSaved();
  });

  conflictBox.querySelector('[data-keep-mine]').addEventListener('click', function () {
    versionInput.value = conflictDraft ? conflictDraft.version : 0;
    conflictDraft = null;
    conflictBox.hidden = true;
    save(true);
  });

  showSaved();
  setInterval(showSaved, 30000);
})();
