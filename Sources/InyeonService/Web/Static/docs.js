// /docs: lists every operation of /openapi.json (served from here so the page's strict
// Content-Security-Policy allows it: no inline script).
fetch('/openapi.json').then(r => r.json()).then(doc => {
  const main = document.getElementById('ops');
  main.textContent = '';
  const text = (tag, value, cls) => { const e = document.createElement(tag); e.textContent = value; if (cls) e.className = cls; return e; };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const box = document.createElement('section'); box.className = 'op';
      const head = document.createElement('h3');
      head.append(text('span', method, 'method'), text('code', path));
      box.append(head, text('p', op.summary || ''));
      if (op.description) box.append(text('p', op.description));
      const codes = Object.entries(op.responses || {}).map(([c, r]) => c + ': ' + r.description).join(' · ');
      box.append(text('p', '응답 — ' + codes));
      main.append(box);
    }
  }
});
