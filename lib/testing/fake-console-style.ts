/**
 * The fake server console's style sheet, served at `GET /_fake/ui/console.css`.
 *
 * @example
 * consoleAsset('console.css').body === CONSOLE_STYLE; // true
 */
export const CONSOLE_STYLE = `:root {
  --bg: #f4f6fa;
  --card: #ffffff;
  --ink: #1d2433;
  --muted: #6b7385;
  --line: #e3e7ef;
  --accent: #2f6fde;
  --accent-ink: #ffffff;
  --ok: #1f8a4c;
  --warn: #b7791f;
  --bad: #c53030;
  --new: #6b7385;
  --pending: #2f6fde;
  --radius: 10px;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  color-scheme: light;
}
* { box-sizing: border-box; }
body {
  margin: 0;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink);
  background: var(--bg);
}
a { color: var(--accent); }
code, .mono { font-family: var(--mono); font-size: 12.5px; }
.muted { color: var(--muted); }
.small { font-size: 12.5px; }
.top {
  display: flex; align-items: center; gap: 24px;
  padding: 12px 24px; background: #172033; color: #e9edf5;
  position: sticky; top: 0; z-index: 1;
}
.top .brand { font-size: 18px; font-weight: 650; letter-spacing: .2px; }
.top .brand .muted { color: #9aa6bd; font-weight: 400; }
.top .logo { color: #7fb0ff; }
.top .api { color: #9aa6bd; }
.top .api a { color: #cfe0ff; font-family: var(--mono); margin-left: 4px; }
.conn { margin-left: auto; padding: 3px 10px; border-radius: 999px; background: #2a3550; font-size: 12.5px; }
.conn.live::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%;
  background: #3ddc84; margin-right: 6px; vertical-align: 1px; }
.conn.down { background: var(--bad); color: #fff; }
.layout { display: grid; grid-template-columns: minmax(300px, 380px) 1fr; gap: 20px; padding: 20px 24px; align-items: start; }
.column { display: grid; gap: 20px; min-width: 0; }
@media (max-width: 960px) { .layout { grid-template-columns: 1fr; } }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius);
  padding: 16px 18px; box-shadow: 0 1px 2px rgba(20, 30, 60, .04); min-width: 0; overflow-x: auto; }
.card h2 { margin: 0 0 6px; font-size: 15px; display: flex; align-items: center; gap: 8px; }
.count { font-size: 12px; font-weight: 600; color: var(--muted); background: var(--bg);
  border: 1px solid var(--line); border-radius: 999px; padding: 0 8px; }
.hint { margin: 0 0 12px; color: var(--muted); font-size: 12.5px; }
label { display: block; font-weight: 600; font-size: 12.5px; margin: 10px 0 4px; }
select, textarea, input[type=number] {
  width: 100%; font: inherit; color: inherit; background: #fff;
  border: 1px solid #cfd5e1; border-radius: 7px; padding: 7px 9px;
}
textarea { font-family: var(--mono); font-size: 12.5px; resize: vertical; }
select:focus, textarea:focus, input:focus { outline: 2px solid rgba(47, 111, 222, .35); border-color: var(--accent); }
textarea[aria-invalid=true] { border-color: var(--bad); outline-color: rgba(197, 48, 48, .3); }
input[type=range] { width: 100%; accent-color: var(--accent); }
output { float: right; font-weight: 400; color: var(--muted); }
.field-pair { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.actions-row { display: flex; align-items: center; gap: 10px; margin-top: 14px; flex-wrap: wrap; }
button { font: inherit; font-weight: 600; border: 0; border-radius: 7px; padding: 7px 14px;
  background: var(--accent); color: var(--accent-ink); cursor: pointer; }
button:hover { filter: brightness(1.08); }
button.secondary { background: #e8edf6; color: var(--ink); }
.ok { color: var(--ok); font-size: 12.5px; }
.error { margin: 10px 0 0; padding: 8px 10px; border-radius: 7px; background: #fdeeee;
  color: var(--bad); border: 1px solid #f3c7c7; font-size: 12.5px; }
.current { margin: 12px 0 0; font-size: 12.5px; color: var(--muted); }
.current.on { color: var(--warn); font-weight: 600; }
.switch { display: flex; align-items: center; gap: 8px; font-weight: 400; margin-top: 12px;
  padding-top: 12px; border-top: 1px solid var(--line); }
.empty { color: var(--muted); margin: 4px 0; }
.pack { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; margin-top: 10px; }
.pack-head { display: flex; align-items: center; gap: 8px; }
.pack-name { font-weight: 650; }
.pack-head a { margin-left: auto; font-size: 12.5px; }
.sub { margin-top: 8px; font-size: 11.5px; font-weight: 700; text-transform: uppercase; letter-spacing: .5px; color: var(--muted); }
.commands { margin: 2px 0 0; padding-left: 18px; }
.command { font-family: var(--mono); font-size: 12.5px; }
.badge { display: inline-block; font-size: 11.5px; font-weight: 700; letter-spacing: .3px;
  padding: 1px 8px; border-radius: 999px; background: #eef1f6; color: var(--muted); }
.status-live, .state-SUCCESS { background: #e3f5ea; color: var(--ok); }
.status-warning { background: #fcf1de; color: var(--warn); }
.status-critical, .state-FATAL { background: #fdeeee; color: var(--bad); }
.state-PENDING { background: #e6eefc; color: var(--pending); }
.state-NEW { background: #eef1f6; color: var(--new); }
.stranded { display: block; margin-top: 4px; background: #fcf1de; color: var(--warn); white-space: normal; }
table.grid { width: 100%; border-collapse: collapse; font-size: 13px; }
.grid th { text-align: left; font-size: 11.5px; text-transform: uppercase; letter-spacing: .5px;
  color: var(--muted); font-weight: 700; padding: 6px 8px; border-bottom: 1px solid var(--line); }
.grid td { padding: 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
.grid tr:last-child td { border-bottom: 0; }
.empty-row td { color: var(--muted); text-align: center; padding: 18px; }
pre.json { margin: 0; font-family: var(--mono); font-size: 12px; white-space: pre-wrap; word-break: break-word;
  max-width: 320px; max-height: 160px; overflow: auto; background: #f7f8fb; border-radius: 6px; padding: 4px 6px; }
.result-event { font-weight: 650; font-family: var(--mono); font-size: 12.5px; margin-bottom: 2px; }
.history { list-style: none; margin: 0; padding: 0; font-size: 12px; color: var(--muted); white-space: nowrap; }
.history .dot { display: inline-block; width: 7px; height: 7px; border-radius: 50%; margin-right: 6px; vertical-align: 1px; }
.dot.state-NEW { background: var(--new); }
.dot.state-PENDING { background: var(--pending); }
.dot.state-SUCCESS { background: var(--ok); }
.dot.state-FATAL { background: var(--bad); }
.foot { padding: 4px 24px 24px; color: var(--muted); font-size: 12px; }
`;
