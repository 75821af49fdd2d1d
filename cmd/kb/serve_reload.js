// Added by kb serve to the pages it serves; never part of a built site.
// It listens for builds (/__kb/events): a page of an older build reloads
// once a newer one is good, and a failed build shows its errors over the
// page until the next good one. The pages' Content-Security-Policy allows
// scripts and styles from the site's own origin only, so this is a file,
// and it styles the overlay through the DOM, never with inline CSS.
(function () {
  'use strict';
  var me = document.currentScript;
  var shown = me ? me.getAttribute('data-build') : null;
  var overlay = null;

  function el(tag, style, text) {
    var e = document.createElement(tag);
    Object.assign(e.style, style);
    if (text) e.textContent = text; // text, never markup: errors quote the content
    return e;
  }

  function hide() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function show(errors) {
    hide();
    overlay = el('div', {
      position: 'fixed', inset: '0', zIndex: '2147483647', overflow: 'auto',
      background: 'rgba(20, 20, 24, 0.94)', color: '#f4f4f5', padding: '2rem',
      font: '14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace'
    });
    overlay.id = 'kb-serve-errors';
    overlay.setAttribute('role', 'alert');
    overlay.appendChild(el('h2', { margin: '0 0 1rem', font: 'bold 18px/1.3 system-ui, sans-serif', color: '#fca5a5' },
      'The site did not build; this page is from the last good build'));
    var list = el('ul', { listStyle: 'none', margin: '0', padding: '0' });
    (errors || []).forEach(function (e) {
      var item = el('li', { margin: '0 0 1rem', whiteSpace: 'pre-wrap' });
      item.className = 'kb-serve-error';
      item.appendChild(el('div', {}, (e.pos ? e.pos + ': ' : '') + e.message));
      if (e.hint) item.appendChild(el('div', { color: '#a5b4fc' }, 'hint: ' + e.hint));
      list.appendChild(item);
    });
    overlay.appendChild(list);
    overlay.appendChild(el('p', { color: '#a1a1aa' }, 'Save a fix and this page reloads.'));
    (document.body || document.documentElement).appendChild(overlay);
  }

  var events = new EventSource('/__kb/events');
  events.onmessage = function (m) {
    var st;
    try { st = JSON.parse(m.data); } catch (err) { return; }
    if (!st.ok) {
      show(st.errors);
      return;
    }
    if (String(st.build) !== shown) {
      events.close();
      location.reload();
      return;
    }
    hide();
  };
})();
