/**
 * The fake server's web console page, served at `GET /_fake/ui`: packs, actions, events, a
 * form to create an action and a fault switch, kept up to date by `console.js`.
 *
 * @example
 * consoleAsset('').body === CONSOLE_PAGE; // true
 */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>flyte fake server</title>
<link rel="icon" type="image/svg+xml" href="/_fake/ui/icon.svg">
<link rel="stylesheet" href="/_fake/ui/console.css">
<script src="/_fake/ui/console.js" defer></script>
</head>
<body>
<header class="top">
  <div class="brand"><span class="logo" aria-hidden="true">&#x2708;</span> flyte <span class="muted">fake server</span></div>
  <div class="api">API <a id="api-url" href="/v1"></a></div>
  <div id="conn" class="conn" role="status">connecting&hellip;</div>
</header>
<main class="layout">
  <div class="column">
    <section class="card" aria-labelledby="create-title">
      <h2 id="create-title">Create an action</h2>
      <p class="hint">As a flow step would: the pack that registered the command takes it.</p>
      <form id="create-form" novalidate>
        <label for="create-command">Command</label>
        <select id="create-command" name="command"></select>
        <label for="create-input">Input <span class="muted">(JSON, optional)</span></label>
        <textarea id="create-input" name="input" rows="5" spellcheck="false"></textarea>
        <div class="actions-row">
          <button type="submit" id="create-submit">Create action</button>
          <span id="create-status" class="ok" role="status"></span>
        </div>
        <p id="create-error" class="error" role="alert" hidden></p>
      </form>
    </section>
    <section class="card" aria-labelledby="packs-title">
      <h2 id="packs-title">Packs <span id="packs-count" class="count">0</span></h2>
      <div id="packs"><p class="empty">No pack has registered yet. Start one with FLYTE_API pointing here.</p></div>
    </section>
    <section class="card" aria-labelledby="faults-title">
      <h2 id="faults-title">Faults</h2>
      <p class="hint">Injected into API requests (never into <code>/_fake/*</code>).</p>
      <form id="faults-form" novalidate>
        <div class="field">
          <label for="fault-error-rate">Error rate <output id="fault-error-rate-value" for="fault-error-rate">0%</output></label>
          <input type="range" id="fault-error-rate" min="0" max="100" step="5" value="0">
        </div>
        <div class="field">
          <label for="fault-drop-rate">Drop rate <output id="fault-drop-rate-value" for="fault-drop-rate">0%</output></label>
          <input type="range" id="fault-drop-rate" min="0" max="100" step="5" value="0">
        </div>
        <div class="field-pair">
          <div class="field">
            <label for="fault-drop-when">Drop</label>
            <select id="fault-drop-when">
              <option value="before">before handling</option>
              <option value="after">after handling</option>
              <option value="hang">hang</option>
            </select>
          </div>
          <div class="field">
            <label for="fault-latency">Latency (ms)</label>
            <input type="number" id="fault-latency" min="0" step="50" value="0">
          </div>
        </div>
        <div class="actions-row">
          <button type="submit" id="faults-apply">Apply faults</button>
          <button type="button" id="faults-clear" class="secondary">Clear</button>
        </div>
        <p id="faults-current" class="current"></p>
        <p id="faults-error" class="error" role="alert" hidden></p>
        <label class="switch"><input type="checkbox" id="health-toggle" checked> <span>GET /health answers 200</span></label>
      </form>
    </section>
  </div>
  <div class="column wide">
    <section class="card" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions <span id="actions-count" class="count">0</span></h2>
      <table class="grid">
        <thead><tr><th>Action</th><th>Command</th><th>Input</th><th>State</th><th>History</th><th>Result</th></tr></thead>
        <tbody id="actions"><tr class="empty-row"><td colspan="6">No action yet.</td></tr></tbody>
      </table>
    </section>
    <section class="card" aria-labelledby="events-title">
      <h2 id="events-title">Spontaneous events <span id="events-count" class="count">0</span></h2>
      <table class="grid">
        <thead><tr><th>Received</th><th>Pack</th><th>Event</th><th>Payload</th></tr></thead>
        <tbody id="events"><tr class="empty-row"><td colspan="4">No event yet.</td></tr></tbody>
      </table>
    </section>
  </div>
</main>
<footer class="foot">Updates live twice a second &middot; control endpoints under <code>/_fake/</code> &middot; flyte-client</footer>
</body>
</html>
`;
