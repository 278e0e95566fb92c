/**
 * The fake server console's script, served at `GET /_fake/ui/console.js`: polls the `/_fake/*`
 * JSON endpoints twice a second and renders packs, actions and events; creates actions; sets
 * faults and health. Plain browser JavaScript (no build step, no CDN); it renders data with
 * `textContent` only, so payloads cannot inject markup.
 *
 * @example
 * consoleAsset('console.js').body === CONSOLE_SCRIPT; // true
 */
export const CONSOLE_SCRIPT = String.raw`'use strict';
(function () {
  var POLL_MS = 500;
  var $ = function (id) { return document.getElementById(id); };
  var last = {};
  var knownPacks = [];
  var knownActions = [];
  var lostTakes = [];

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'className') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function json(value) {
    return value === undefined ? '' : JSON.stringify(value, null, 2);
  }

  function time(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? iso : d.toLocaleTimeString();
  }

  function labelsText(labels) {
    return Object.keys(labels || {}).map(function (k) { return k + '=' + labels[k]; }).join(', ');
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function showError(id, message) {
    var node = $(id);
    node.textContent = message || '';
    node.hidden = !message;
  }

  function call(method, path, body) {
    var init = { method: method, headers: {} };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch('/_fake/' + path, init).then(function (res) {
      return res.text().then(function (text) {
        var value;
        try { value = text ? JSON.parse(text) : undefined; } catch (e) { value = text; }
        if (!res.ok) {
          var why = value && value.error ? value.error : text || res.statusText;
          var error = new Error(why);
          error.status = res.status;
          throw error;
        }
        return value;
      });
    });
  }

  // ---- packs and the command picker -------------------------------------------------------
  function renderPacks(packs) {
    knownPacks = packs;
    $('packs-count').textContent = String(packs.length);
    var box = $('packs');
    clear(box);
    if (!packs.length) {
      box.appendChild(el('p', { className: 'empty', text: 'No pack has registered yet. Start one with FLYTE_API pointing here.' }));
    }
    packs.forEach(function (p) {
      var reg = p.registration || {};
      var help = (reg.links || []).filter(function (l) { return /help$/.test(l.rel); })[0];
      var commands = el('ul', { className: 'commands' });
      (reg.commands || []).forEach(function (c) {
        commands.appendChild(el('li', {},
          el('span', { className: 'command', text: c.name }),
          ' \u2192 ',
          el('span', { className: 'muted', text: (c.events || []).join(', ') || 'no events' })));
      });
      var events = (reg.events || []).map(function (e) { return e.name; }).join(', ');
      box.appendChild(el('article', { className: 'pack', 'data-pack-id': p.id },
        el('div', { className: 'pack-head' },
          el('span', { className: 'pack-name', text: p.name }),
          el('span', { className: 'badge status-' + p.status, text: p.status }),
          help ? el('a', { href: help.href, target: '_blank', rel: 'noopener', text: 'help' }) : null),
        el('div', { className: 'muted small', text: 'id ' + p.id + (labelsText(p.labels) ? ' \u00b7 labels ' + labelsText(p.labels) : '') + ' \u00b7 last seen ' + time(p.lastSeen) }),
        el('div', { className: 'sub', text: 'Commands' }),
        commands,
        el('div', { className: 'sub', text: 'Events' }),
        el('div', { className: 'small', text: events || 'none' })));
    });
    renderCommandPicker(packs);
  }

  function renderCommandPicker(packs) {
    var key = JSON.stringify(packs.map(function (p) {
      return [p.id, ((p.registration || {}).commands || []).map(function (c) { return c.name; })];
    }));
    if (key === last.picker) return; // unchanged: keep the list (and an open drop-down) as it is
    last.picker = key;
    var select = $('create-command');
    var chosen = select.value;
    clear(select);
    var count = 0;
    packs.forEach(function (p) {
      var group = el('optgroup', { label: p.id });
      ((p.registration || {}).commands || []).forEach(function (c) {
        count++;
        group.appendChild(el('option', { value: JSON.stringify([p.id, c.name]), text: p.name + ' \u203a ' + c.name }));
      });
      if (group.childNodes.length) select.appendChild(group);
    });
    if (!count) select.appendChild(el('option', { value: '', text: 'no pack has registered a command yet' }));
    select.disabled = !count;
    if (chosen && select.querySelector('option[value="' + CSS.escape(chosen) + '"]')) select.value = chosen;
    suggestInput();
  }

  // The input hint follows the chosen command: its latest input, else what to type for it.
  function suggestInput() {
    var input = $('create-input');
    var choice = $('create-command').value;
    if (!choice) { input.placeholder = ''; return; }
    var picked = JSON.parse(choice);
    var pack = knownPacks.filter(function (p) { return p.id === picked[0]; })[0];
    var latest = knownActions.filter(function (a) {
      return pack && a.packName === pack.name && a.command === picked[1] && a.input !== undefined && a.input !== null;
    }).pop();
    input.placeholder = latest
      ? JSON.stringify(latest.input)
      : 'input of ' + (pack ? pack.name : picked[0]) + ' \u203a ' + picked[1] + ' as JSON, e.g. "text" or {"key": "value"}; empty: none';
  }

  // ---- actions and events -----------------------------------------------------------------
  // /_fake/stats lists the actions whose take answer the server lost after acting: still
  // PENDING, no pack knows it has them.
  function renderStats(stats) {
    lostTakes = (stats.take && stats.take.lostTakes) || [];
    renderActions(knownActions);
  }

  function strandedNote(a) {
    if (a.state !== 'PENDING' || lostTakes.indexOf(a.id) < 0) return null;
    return el('span', {
      className: 'badge stranded',
      title: 'The server handed this action out, but the answer to the take was lost: no pack is working on it and flyte will not hand it out again (see the pack option recovery).',
      text: 'stranded: take answer lost',
    });
  }

  function renderActions(actions) {
    knownActions = actions;
    suggestInput();
    $('actions-count').textContent = String(actions.length);
    var body = $('actions');
    clear(body);
    if (!actions.length) body.appendChild(el('tr', { className: 'empty-row' }, el('td', { colspan: '6', text: 'No action yet.' })));
    actions.slice().reverse().forEach(function (a) {
      var history = el('ol', { className: 'history' });
      a.history.forEach(function (h) {
        history.appendChild(el('li', { title: h.at }, el('span', { className: 'dot state-' + h.state }), h.state + ' ' + time(h.at)));
      });
      var result = a.result
        ? el('div', {}, el('div', { className: 'result-event', text: a.result.event }), el('pre', { className: 'json', text: json(a.result.payload) }))
        : el('span', { className: 'muted', text: '\u2014' });
      body.appendChild(el('tr', { 'data-action-id': a.id, 'data-state': a.state },
        el('td', {}, el('div', { className: 'mono', text: a.id }), el('div', { className: 'muted small', text: a.packName + (labelsText(a.packLabels) ? ' {' + labelsText(a.packLabels) + '}' : '') })),
        el('td', { className: 'command', text: a.command }),
        el('td', {}, a.input === undefined || a.input === null ? el('span', { className: 'muted', text: 'null' }) : el('pre', { className: 'json', text: json(a.input) })),
        el('td', {}, el('span', { className: 'badge state state-' + a.state, text: a.state }), strandedNote(a)),
        el('td', {}, history),
        el('td', { className: 'result' }, result)));
    });
  }

  function renderEvents(events) {
    $('events-count').textContent = String(events.length);
    var body = $('events');
    clear(body);
    if (!events.length) body.appendChild(el('tr', { className: 'empty-row' }, el('td', { colspan: '4', text: 'No event yet.' })));
    events.slice().reverse().forEach(function (e) {
      body.appendChild(el('tr', { 'data-event': e.event },
        el('td', { title: e.receivedAt, text: time(e.receivedAt) }),
        el('td', { text: e.packId }),
        el('td', { className: 'command', text: e.event }),
        el('td', {}, el('pre', { className: 'json', text: json(e.payload) }))));
    });
  }

  // ---- faults and health --------------------------------------------------------------------
  function percent(rate) { return Math.round((rate || 0) * 100); }

  function showRate(id) { $(id + '-value').textContent = $(id).value + '%'; }

  function renderFaults(f) {
    $('fault-error-rate').value = String(percent(f.errorRate));
    $('fault-drop-rate').value = String(percent(f.dropRate));
    $('fault-drop-when').value = f.dropWhen || 'before';
    $('fault-latency').value = String(f.latencyMs || 0);
    showRate('fault-error-rate');
    showRate('fault-drop-rate');
    var parts = [];
    if (f.errorRate) parts.push('error rate ' + percent(f.errorRate) + '%');
    if (f.dropRate) parts.push('drop rate ' + percent(f.dropRate) + '% (' + (f.dropWhen || 'before') + ')');
    if (f.latencyMs) parts.push('latency ' + f.latencyMs + ' ms');
    if (f.endpoints) parts.push('only ' + f.endpoints.join(', '));
    var current = $('faults-current');
    current.textContent = parts.length ? 'In effect: ' + parts.join(' \u00b7 ') : 'No faults: every API request is answered normally.';
    current.className = parts.length ? 'current on' : 'current';
  }

  function renderHealth(h) {
    $('health-toggle').checked = h.healthy;
  }

  // ---- polling ------------------------------------------------------------------------------
  var views = [
    ['packs', renderPacks],
    ['actions', renderActions],
    ['events', renderEvents],
    ['faults', renderFaults],
    ['health', renderHealth],
    ['stats', renderStats],
  ];

  function refresh() {
    return Promise.all(views.map(function (v) {
      return call('GET', v[0]).then(function (value) {
        var text = JSON.stringify(value);
        if (last[v[0]] !== text) {
          last[v[0]] = text;
          v[1](value);
        }
      });
    })).then(function () {
      var conn = $('conn');
      conn.textContent = 'live';
      conn.className = 'conn live';
    }, function (e) {
      var conn = $('conn');
      conn.textContent = 'server unreachable: ' + e.message;
      conn.className = 'conn down';
    });
  }

  function poll() {
    refresh().then(function () { setTimeout(poll, POLL_MS); });
  }

  // ---- forms --------------------------------------------------------------------------------
  function createAction(event) {
    event.preventDefault();
    showError('create-error', '');
    $('create-status').textContent = '';
    var choice = $('create-command').value;
    if (!choice) {
      showError('create-error', 'Choose a command: no pack has registered one yet.');
      return;
    }
    var picked = JSON.parse(choice);
    var pack = knownPacks.filter(function (p) { return p.id === picked[0]; })[0];
    var command = picked[1];
    if (!pack) {
      showError('create-error', 'Choose a command: the pack is gone, pick another one.');
      return;
    }
    var body = { packName: pack.name, command: command };
    if (Object.keys(pack.labels || {}).length) body.packLabels = pack.labels;
    var raw = $('create-input').value;
    if (raw.trim() !== '') {
      try {
        body.input = JSON.parse(raw);
      } catch (e) {
        showError('create-error', 'Input is not valid JSON: ' + e.message + '. Leave it empty for no input, or quote text: "like this".');
        $('create-input').setAttribute('aria-invalid', 'true');
        return;
      }
    }
    $('create-input').removeAttribute('aria-invalid');
    call('POST', 'actions', body).then(function (action) {
      $('create-status').textContent = 'Created ' + action.id + ' for ' + pack.name + ' \u203a ' + command;
      return refresh();
    }, function (e) {
      showError('create-error', 'The server refused the action (' + e.status + '): ' + e.message);
    });
  }

  function applyFaults(event) {
    event.preventDefault();
    showError('faults-error', '');
    var latency = Number($('fault-latency').value);
    if (!(latency >= 0) || Math.floor(latency) !== latency) {
      showError('faults-error', 'Latency must be a whole number of milliseconds, 0 or more.');
      return;
    }
    // POST merges: the settings this form shows are sent (0 removes one), the others are kept.
    var errorRate = Number($('fault-error-rate').value) / 100;
    var dropRate = Number($('fault-drop-rate').value) / 100;
    var body = {
      errorRate: errorRate || null,
      dropRate: dropRate || null,
      dropWhen: dropRate ? $('fault-drop-when').value : null,
      latencyMs: latency || null,
    };
    call('POST', 'faults', body).then(refresh, function (e) {
      showError('faults-error', 'The server refused the faults (' + e.status + '): ' + e.message);
    });
  }

  function clearFaults() {
    showError('faults-error', '');
    call('DELETE', 'faults').then(refresh, function (e) {
      showError('faults-error', 'Could not clear the faults: ' + e.message);
    });
  }

  function toggleHealth() {
    call('POST', 'health', { healthy: $('health-toggle').checked }).then(refresh, function (e) {
      showError('faults-error', 'Could not change the health: ' + e.message);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var api = location.origin + '/v1';
    $('api-url').textContent = api;
    $('api-url').href = api;
    $('create-form').addEventListener('submit', createAction);
    $('faults-form').addEventListener('submit', applyFaults);
    $('faults-clear').addEventListener('click', clearFaults);
    $('health-toggle').addEventListener('change', toggleHealth);
    $('create-command').addEventListener('change', suggestInput);
    ['fault-error-rate', 'fault-drop-rate'].forEach(function (id) {
      $(id).addEventListener('input', function () { showRate(id); });
    });
    renderCommandPicker([]);
    poll();
  });
})();
`;
