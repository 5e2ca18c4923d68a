// The admin view: counts and recent reminders, updated live. Reminder text is volunteers' input:
// it goes on the page with textContent only.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  function row(cells) {
    const tr = document.createElement('tr');
    for (const [text, className] of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      if (className) td.className = className;
      tr.appendChild(td);
    }
    return tr;
  }

  function reminderRow(r) {
    return row([
      [String(r.id)],
      [new Date(r.createdAt).toLocaleString()],
      [r.volunteer],
      [`${r.scenario} / ${r.mistake}`],
      [`${r.source === 'speech' ? '🎤 ' : ''}${r.text}`, 'text'],
      [`${Math.round(r.click.u)}, ${Math.round(r.click.v)}`],
    ]);
  }

  function render(summary) {
    const t = summary.totals;
    $('totals').textContent = `${t.reminders} reminders from ${t.volunteers} volunteers in ${t.sessions} sessions`;
    $('counts').replaceChildren(...summary.counts.map((c) => row([[c.scenario], [c.mistake], [String(c.clips)], [String(c.reminders)]])));
    $('recent').replaceChildren(...summary.recent.map(reminderRow));
  }

  async function refresh() {
    const response = await fetch('/admin/api/summary');
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    render(await response.json());
  }

  let refreshTimer = null;
  /** At most one reload a second, however fast reminders arrive. */
  function scheduleRefresh() {
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      refresh().catch((error) => { $('status').textContent = `Cannot load the summary: ${error.message}`; });
    }, 1000);
  }

  function live() {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/admin/ws`);
    ws.onopen = () => { $('status').textContent = 'Live: new reminders appear as they are saved.'; };
    ws.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.op === 'reminder') scheduleRefresh();
    };
    ws.onclose = () => {
      $('status').textContent = 'Live updates stopped; retrying…';
      setTimeout(live, 3000);
    };
  }

  refresh()
    .then(live)
    .catch((error) => { $('status').textContent = `Cannot load the summary: ${error.message}`; });
})();
