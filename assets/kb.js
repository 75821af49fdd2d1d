// kb's page script: the search box on every page, the search page, and the
// service worker that keeps the site readable and searchable offline.
// Nothing here is needed to read a page; everything degrades to plain
// links and a form that opens the search page.
//
// Search runs in a Web Worker (search/worker.js, which loads the bleve
// module compiled to WebAssembly); its protocol is documented in
// internal/search/doc.go. Nothing of search is fetched until the reader
// shows intent: focuses a search box (a click, Tab or "/") or opens the
// search page. A site that sets search.prefetch = "idle" loads it in the
// background once the page has loaded instead, unless the browser asks to
// save data.
(function () {
  'use strict';

  var rootMeta = document.querySelector('meta[name="kb-root"]');
  var root = new URL(rootMeta ? rootMeta.getAttribute('content') || './' : './', document.baseURI);

  // Offline: a service worker scoped to the site keeps visited pages and
  // the search files. It is registered once the page has loaded, so its
  // downloads never compete with what the visitor asked for. file://
  // pages cannot register one.
  if ('serviceWorker' in navigator && (location.protocol === 'https:' || location.protocol === 'http:')) {
    var register = function () {
      navigator.serviceWorker.register(new URL('sw.js', root).href, { scope: root.pathname }).catch(function () {});
    };
    if (document.readyState === 'complete') register();
    else window.addEventListener('load', register);
  }

  // ---- The search worker ----

  var worker = null;
  var nextID = 1;
  var handlers = {}; // request id → function(message)
  var statusListeners = [];
  var lastStatus = null;

  function startWorker() {
    if (worker || typeof Worker === 'undefined') return worker;
    try {
      worker = new Worker(new URL('search/worker.js', root).href);
    } catch (e) {
      return null;
    }
    keepSearch();
    worker.onmessage = function (ev) {
      var m = ev.data || {};
      if (m.type === 'status') {
        lastStatus = m;
        // Stylesheets and tests can see how far search has loaded.
        document.documentElement.setAttribute('data-search', m.state);
        statusListeners.forEach(function (fn) { fn(m); });
        return;
      }
      if (m.type === 'result' && handlers[m.id]) {
        handlers[m.id](m);
        // An instant answer is followed by the full one for the same id.
        if (m.tier !== 'instant') delete handlers[m.id];
      }
    };
    return worker;
  }

  // search sends a request; onResult is called with each answer (an
  // instant one first, perhaps, then the full one).
  function search(request, onResult) {
    if (!startWorker()) return;
    var id = nextID++;
    handlers[id] = onResult;
    worker.postMessage({ type: 'search', id: id, request: request });
  }

  function onStatus(fn) {
    statusListeners.push(fn);
    if (lastStatus) fn(lastStatus);
  }

  // keepSearch asks the service worker to keep the files search needs
  // besides those the worker caches itself (the search page, the worker's
  // scripts), now that this visitor has used search: it fetches none of
  // them before.
  function keepSearch() {
    if (!('serviceWorker' in navigator) || !navigator.serviceWorker.ready) return;
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.active) reg.active.postMessage({ type: 'kb-keep-search' });
    }).catch(function () {});
  }

  // A site can have every visitor ready to search offline: search then
  // loads once the page has, when the browser is idle. A browser set to
  // save data waits for intent all the same.
  var prefetchMeta = document.querySelector('meta[name="kb-search-prefetch"]');
  var saveData = !!(navigator.connection && navigator.connection.saveData);
  if (prefetchMeta && prefetchMeta.getAttribute('content') === 'idle' && !saveData) {
    var idle = function () {
      if ('requestIdleCallback' in window) window.requestIdleCallback(function () { startWorker(); }, { timeout: 4000 });
      else window.setTimeout(startWorker, 2000);
    };
    if (document.readyState === 'complete') idle();
    else window.addEventListener('load', idle);
  }

  // ---- This week in past years ----
  //
  // The home page lists every incident with its date; which of them fell
  // in this week of an earlier year depends on the day the page is read,
  // not the day it was built, so the list is made here and the page
  // itself stays the same from build to build.
  (function thisWeek() {
    var box = document.getElementById('kb_this_week');
    if (!box) return;
    var now = new Date();
    var year = now.getFullYear();
    var dayOf = function (d) { return Date.UTC(2001, d.getMonth(), d.getDate()) / 864e5; };
    var today = dayOf(now);
    var list = box.querySelector('ul');
    var found = 0;
    document.querySelectorAll('table.incidents tbody tr').forEach(function (tr) {
      var t = tr.querySelector('td.date time');
      var a = tr.querySelector('td.title a');
      if (!t || !a) return;
      var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(t.getAttribute('datetime') || '');
      if (!m || +m[1] >= year) return;
      var d = new Date(+m[1], +m[2] - 1, +m[3]);
      var gap = Math.abs(dayOf(d) - today);
      if (Math.min(gap, 365 - gap) > 3) return;
      var li = el('li');
      var link = el('a', null, a.textContent);
      link.href = a.href;
      li.appendChild(link);
      li.appendChild(el('span', 'date', ' ' + m[1] + '-' + m[2] + '-' + m[3]));
      list.appendChild(li);
      found++;
    });
    if (found > 0) box.hidden = false;
  })();

  // ---- Timeline filters ----
  //
  // Each filter is a page of its own, so it works without this script;
  // with it, a filter of the full timeline hides what does not match in
  // place, without loading a page. The charts stay those of all
  // incidents, and say so.
  (function timelineFilters() {
    var nav = document.querySelector('nav.filters');
    if (!nav || document.body.className !== 'timeline' || !/\/timeline\/$/.test(location.pathname)) return;
    var items = document.querySelectorAll('section.year ol.axis li');
    var note = el('p', 'note filter-note');
    nav.appendChild(note);
    function apply(term, label) {
      var shown = 0;
      items.forEach(function (li) {
        var on = !term || (' ' + li.getAttribute('data-terms') + ' ').indexOf(' ' + term + ' ') >= 0;
        li.hidden = !on;
        if (on) shown++;
      });
      document.querySelectorAll('section.year').forEach(function (sec) {
        sec.hidden = !!term && !sec.querySelector('li:not([hidden])');
      });
      note.textContent = term ? 'Showing ' + shown + ' incidents of ' + label + ' (the charts and measures above are of every incident). ' : '';
      if (term) {
        var all = el('a', null, 'Show all');
        all.href = '#';
        all.addEventListener('click', function (ev) { ev.preventDefault(); apply('', ''); history.replaceState(null, '', location.pathname); });
        note.appendChild(all);
      }
    }
    nav.addEventListener('click', function (ev) {
      var a = ev.target.closest('a');
      var m = a && /timeline\/(system|cause|severity)\/([^/]+)\/$/.exec(a.getAttribute('href') || '');
      if (!m || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
      ev.preventDefault();
      apply(m[1] + '/' + m[2], m[1] + ' ' + a.textContent);
      history.replaceState(null, '', '#' + m[1] + '=' + m[2]);
    });
    var h = /^#(system|cause|severity)=(.+)$/.exec(location.hash);
    if (h) {
      var term = h[2];
      try { term = decodeURIComponent(term); } catch (e) {}
      apply(h[1] + '/' + term, h[1] + ' ' + term);
    }
  })();

  // ---- Index filters ----
  //
  // The home page and the year pages count their incidents by severity,
  // year and system, and each count links to a page that lists only those
  // incidents, so the filters work without this script. With it, a count
  // filters the rows of this page in place instead, and the URL says what
  // is shown (?severity=&system=&year=), so a filtered view can be linked.
  // A year not wholly on this page opens that year's page, with the other
  // filters; when this page holds only some of a severity's or a system's
  // incidents, the note says so and links to the page of all of them.
  (function indexFilters() {
    var nav = document.getElementById('kb_filters');
    if (!nav) return;
    var rows = Array.prototype.slice.call(document.querySelectorAll('section.group table.incidents tbody tr[data-year]'));
    // Rows of a site's own incident-row.html may not say what they are:
    // the links then lead to the filtered pages as they do without the
    // script.
    if (!rows.length) return;
    var groups = document.querySelectorAll('section.group');
    var links = nav.querySelectorAll('a[data-filter]');
    var pageYear = nav.getAttribute('data-year') || '';
    var dims = ['severity', 'system', 'year'];
    var note = el('p', 'note filter-status');
    note.id = 'kb_filter_status';
    note.setAttribute('aria-live', 'polite');
    nav.appendChild(note);

    function matches(tr, dim, value) {
      if (dim === 'severity') return tr.getAttribute('data-sev') === value;
      if (dim === 'year') return tr.getAttribute('data-year') === value;
      return (' ' + (tr.getAttribute('data-systems') || '') + ' ').indexOf(' ' + value + ' ') >= 0;
    }
    function linkOf(dim, value) {
      for (var i = 0; i < links.length; i++) {
        if (links[i].getAttribute('data-filter') === dim && links[i].getAttribute('data-value') === value) return links[i];
      }
      return null;
    }
    // here counts the rows of this page with a value; whole says whether
    // they are all the incidents that have it.
    function here(dim, value) {
      return rows.filter(function (tr) { return matches(tr, dim, value); }).length;
    }
    function whole(a, dim, value) {
      return here(dim, value) >= +(a.getAttribute('data-count') || 0);
    }
    function readURL() {
      var p = new URLSearchParams(location.search);
      var s = {};
      dims.forEach(function (d) {
        var v = p.get(d);
        if (v) s[d] = v;
      });
      // A year page shows its own year: that is no filter.
      if (s.year && s.year === pageYear) delete s.year;
      return s;
    }
    function query(s) {
      var p = new URLSearchParams();
      dims.forEach(function (d) { if (s[d]) p.set(d, s[d]); });
      var q = p.toString();
      return q ? '?' + q : '';
    }
    // elsewhere opens the page of a link with the filters of s.
    function elsewhere(a, s) {
      var u = new URL(a.href);
      u.search = query(s);
      location.href = u.href;
    }

    function apply(s) {
      var shown = 0;
      rows.forEach(function (tr) {
        var on = dims.every(function (d) { return !s[d] || matches(tr, d, s[d]); });
        tr.hidden = !on;
        if (on) shown++;
      });
      groups.forEach(function (g) { g.hidden = !g.querySelector('tbody tr:not([hidden])'); });
      links.forEach(function (a) {
        var d = a.getAttribute('data-filter');
        if (d === 'year' && pageYear) return; // the year page's own mark stays
        if (s[d] === a.getAttribute('data-value')) a.setAttribute('aria-current', 'true');
        else a.removeAttribute('aria-current');
      });
      note.textContent = '';
      var active = dims.filter(function (d) { return s[d]; });
      if (!active.length) return;
      note.appendChild(document.createTextNode('Showing ' + shown + ' of the ' + rows.length + ' incidents on this page. '));
      active.forEach(function (d) {
        var a = linkOf(d, s[d]);
        if (!a || whole(a, d, s[d])) return;
        var n = a.getAttribute('data-count');
        var name = a.firstChild.textContent.trim();
        var all = el('a', null, d === 'severity' ? 'All ' + n + ' ' + name + ' incidents' : 'All ' + n + ' incidents of ' + name);
        all.href = a.href;
        note.appendChild(all);
        note.appendChild(document.createTextNode('. '));
      });
      var clear = el('a', 'filter-clear', 'Show all');
      clear.href = location.pathname;
      clear.addEventListener('click', function (ev) {
        ev.preventDefault();
        go({});
      });
      note.appendChild(clear);
    }

    function go(s) {
      var url = location.pathname + query(s) + location.hash;
      if (url !== location.pathname + location.search + location.hash) history.pushState(null, '', url);
      apply(s);
    }

    nav.addEventListener('click', function (ev) {
      var a = ev.target.closest('a[data-filter]');
      if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey || ev.button > 0) return;
      var d = a.getAttribute('data-filter');
      var v = a.getAttribute('data-value');
      var s = readURL();
      ev.preventDefault();
      if (d === 'year' && (pageYear || !whole(a, d, v))) {
        // Another year, or one this page holds only part of: its page.
        delete s.year;
        elsewhere(a, s);
        return;
      }
      if (s[d] === v) delete s[d];
      else s[d] = v;
      go(s);
    });
    window.addEventListener('popstate', function () { apply(readURL()); });

    var start = readURL();
    var y = start.year && linkOf('year', start.year);
    if (y && !whole(y, 'year', start.year)) {
      delete start.year;
      var u = new URL(y.href);
      u.search = query(start);
      location.replace(u.href);
      return;
    }
    apply(start);
  })();

  // ---- Action ages ----
  //
  // How long an item has been open depends on the day it is read: the
  // page says since when, and the script adds how long that is.
  document.querySelectorAll('table.actions td.date time').forEach(function (t) {
    var d = new Date(t.getAttribute('datetime'));
    if (isNaN(d)) return;
    var days = Math.floor((Date.now() - d.getTime()) / 864e5);
    if (days < 0) return;
    var span = el('span', 'note age', days >= 730 ? ' (' + Math.floor(days / 365) + ' years)' : days >= 60 ? ' (' + Math.floor(days / 30) + ' months)' : ' (' + days + ' days)');
    t.parentNode.appendChild(span);
  });

  // ---- Rendering helpers ----

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // setHTML inserts HTML the search module produced: escaped text with
  // <mark> around matches, and nothing else (see internal/search/doc.go).
  // It is parsed inertly and only text and <mark> are kept, so even a
  // broken promise could not put markup from a postmortem on the page.
  function setHTML(target, html) {
    var doc = new DOMParser().parseFromString('<body>' + html, 'text/html');
    (function copy(from, to) {
      from.childNodes.forEach(function (n) {
        if (n.nodeType === 3) {
          to.appendChild(document.createTextNode(n.nodeValue));
        } else if (n.nodeType === 1) {
          var into = to;
          if (n.nodeName === 'MARK') {
            into = document.createElement('mark');
            to.appendChild(into);
          }
          copy(n, into);
        }
      });
    })(doc.body, target);
  }

  // hitURL is where a result leads: a page of this site, never anything
  // else, whatever the worker answered.
  function hitURL(hit) {
    var u;
    try {
      u = new URL(hit.path || '', root);
    } catch (e) {
      u = null;
    }
    if (!u || u.origin !== root.origin || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.pathname.indexOf(root.pathname) !== 0) {
      u = new URL('incidents/' + String(hit.id).split('/').map(encodeURIComponent).join('/') + '/', root);
    }
    return u.href;
  }

  // hitMeta is what a result says besides its title, date and id.
  function hitMeta(hit) {
    var parts = [];
    if (hit.severity) parts.push(hit.severity);
    if (hit.systems && hit.systems.length) parts.push(hit.systems.join(', '));
    return parts.join(' · ');
  }

  // hitName tells results of the same title apart: the date as the
  // postmortem gives it ("2023", "2023-10" or a day) and the id.
  function hitName(hit) {
    var n = el('span', 'hit-name');
    if (hit.date) {
      n.appendChild(el('time', 'hit-date', hit.date));
      n.appendChild(document.createTextNode(' · '));
    }
    n.appendChild(el('span', 'hit-id', String(hit.id)));
    return n;
  }

  // renderNotes says why the results are not what was asked for (see
  // Result.Missing and Result.Relaxed in internal/search): words no
  // incident contains, and results that hold only most of the words.
  // A note that did not change is left alone, so a screen reader does
  // not hear it again at every keystroke.
  function renderNotes(target, res, compact) {
    var missing = (res && res.missing) || [];
    var relaxed = !!(res && res.relaxed);
    var key = JSON.stringify([missing, relaxed]);
    if (target.getAttribute('data-notes') === key) return;
    target.setAttribute('data-notes', key);
    target.textContent = '';
    var tag = compact ? 'span' : 'p';
    if (missing.length) {
      var m = el(tag, 'note-missing', 'No incident mentions ');
      missing.forEach(function (w, i) {
        if (i > 0) m.appendChild(document.createTextNode(i === missing.length - 1 ? ' or ' : ', '));
        m.appendChild(el('em', null, String(w)));
      });
      m.appendChild(document.createTextNode('. '));
      target.appendChild(m);
    }
    if (relaxed) {
      target.appendChild(el(tag, 'note-relaxed', 'No incident has every word; showing those with most of them.'));
    }
  }

  function renderTitle(hit) {
    var t = el('span', 'hit-title');
    if (hit.title_html) setHTML(t, hit.title_html);
    else t.textContent = hit.title;
    return t;
  }

  function statusText(st) {
    if (!st) return '';
    switch (st.state) {
      case 'loading': return 'Loading search…';
      case 'instant': return 'Matching titles while full search loads…';
      case 'ready':
        return st.shards && st.loaded && st.loaded.length < st.shards.length
          ? 'Searched ' + st.loaded.length + ' of ' + st.shards.length + ' parts of the archive; the rest is loading…'
          : '';
      case 'error': return 'Search could not load: ' + (st.error || 'unknown error') + '.';
    }
    return '';
  }

  // ---- The search box in the header ----
  //
  // A combobox with a listbox popup (the WAI-ARIA 1.2 pattern): the
  // focus stays in the box, the arrows move the selection
  // (aria-activedescendant), Enter opens the selected result or, with
  // none, the search page, and Esc closes the popup and leaves the box,
  // so that "/" finds it again. Options hold no links (an interactive
  // element inside an option is announced wrongly, or not at all); a
  // click or Enter opens the result from here, and a plain link below
  // the list leads to every result.

  var box = document.getElementById('kb_q');
  if (box) setupBox(box);

  function setupBox(input) {
    var popup = document.getElementById('kb_popup');
    var list = document.getElementById('kb_results');
    var status = document.getElementById('kb_status');
    // A site's own header.html from before may lack these two.
    var notes = document.getElementById('kb_notes');
    var all = document.getElementById('kb_all');
    var form = input.form;
    var active = -1;
    var shown = []; // hits on screen
    var current = 0; // id of the newest request

    // show shows the popup or hides it; the box is expanded only while
    // the popup offers options.
    function show(yes) {
      popup.hidden = !yes;
      input.setAttribute('aria-expanded', yes && shown.length ? 'true' : 'false');
      if (!yes) select(-1);
    }

    function select(i) {
      var items = list.querySelectorAll('[role="option"]');
      active = items.length && i >= 0 ? i % items.length : -1;
      items.forEach(function (it, j) { it.setAttribute('aria-selected', j === active ? 'true' : 'false'); });
      if (active < 0) {
        input.removeAttribute('aria-activedescendant');
        return;
      }
      input.setAttribute('aria-activedescendant', items[active].id);
      items[active].scrollIntoView({ block: 'nearest' });
    }

    // open goes to a result: in this tab, or in a new one when the
    // reader asks as they would of a link.
    function open(hit, ev) {
      var url = hitURL(hit);
      if (ev && (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button === 1)) window.open(url, '_blank', 'noopener');
      else window.location.href = url;
    }

    function option(hit, i) {
      var li = el('li', 'hit');
      li.id = 'kb_hit_' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      var head = el('span', 'hit-head');
      head.appendChild(renderTitle(hit));
      head.appendChild(document.createTextNode(' '));
      head.appendChild(hitName(hit));
      li.appendChild(head);
      var meta = hitMeta(hit);
      if (hit.section && hit.section.title) meta += (meta ? ' · ' : '') + 'in ' + hit.section.title;
      if (meta) li.appendChild(el('span', 'hit-meta', meta));
      if (hit.fragments && hit.fragments.length) {
        var f = el('span', 'hit-fragment');
        setHTML(f, hit.fragments[0]);
        li.appendChild(f);
      }
      li.addEventListener('mousemove', function () { if (active !== i) select(i); });
      li.addEventListener('click', function (ev) { open(hit, ev); });
      li.addEventListener('auxclick', function (ev) { if (ev.button === 1) open(hit, ev); });
      return li;
    }

    function render(res, tier, query) {
      // Keep the choice made with the arrows when a fuller answer for
      // the same words replaces the first one.
      var chosen = active >= 0 && shown[active] ? shown[active].id : null;
      list.textContent = '';
      shown = res.hits || [];
      active = -1;
      input.removeAttribute('aria-activedescendant');
      popup.setAttribute('data-tier', tier || 'full');
      popup.setAttribute('data-query', query);
      if (notes) renderNotes(notes, res, true);
      shown.forEach(function (hit, i) { list.appendChild(option(hit, i)); });
      var more = res.total > shown.length ? res.total - shown.length : 0;
      status.textContent = shown.length === 0
        ? (tier === 'instant' ? 'Searching…' : 'No incidents match.')
        : (tier === 'instant' ? 'Matching titles while full search loads…' : more ? more + ' more on the search page.' : '');
      show(true);
      if (chosen) {
        for (var i = 0; i < shown.length; i++) {
          if (shown[i].id === chosen) { select(i); break; }
        }
      }
    }

    function run() {
      var q = input.value;
      if (!q.trim()) {
        list.textContent = '';
        shown = [];
        show(false);
        return;
      }
      var id = nextID; // the id search() is about to use
      current = id;
      if (all) {
        var u = new URL(form.action);
        u.search = new URLSearchParams({ q: q }).toString();
        all.href = u.href;
        all.textContent = 'All results for “' + q + '”';
      }
      if (popup.hidden) {
        // Say something until the first answer: search may be loading.
        list.textContent = '';
        shown = [];
        if (notes) renderNotes(notes, null, true);
        status.textContent = statusText(lastStatus) || 'Searching…';
        show(true);
      }
      search({ query: q, size: 8, highlight: true }, function (m) {
        if (m.id !== current || m.superseded) return;
        if (document.activeElement !== input && popup.hidden) return; // closed meanwhile
        if (m.error) {
          list.textContent = '';
          shown = [];
          status.textContent = m.error;
          show(true);
          return;
        }
        render(m.result, m.tier, q);
      });
    }

    // Intent: focusing the box (by click, Tab or "/") starts search.
    input.addEventListener('focus', function () {
      startWorker();
      if (input.value.trim() && popup.hidden) run();
    });
    input.addEventListener('input', run);
    input.addEventListener('keydown', function (ev) {
      var n = shown.length;
      switch (ev.key) {
        case 'ArrowDown':
          ev.preventDefault();
          if (popup.hidden) run();
          else if (n) select(active < 0 ? 0 : (active + 1) % n);
          break;
        case 'ArrowUp':
          ev.preventDefault();
          if (!popup.hidden && n) select(active <= 0 ? n - 1 : active - 1);
          break;
        case 'Enter':
          if (!popup.hidden && active >= 0 && shown[active]) {
            ev.preventDefault();
            open(shown[active], ev);
          }
          break; // otherwise the form opens the search page
        case 'Escape':
          // Esc also leaves the box: "/" then focuses it again rather
          // than typing a slash into it.
          ev.preventDefault();
          show(false);
          input.blur();
          break;
      }
    });
    // Enter submits the form unless a result is chosen; some input
    // methods submit even when keydown was cancelled, so the choice is
    // honoured here too.
    form.addEventListener('submit', function (ev) {
      if (!popup.hidden && active >= 0 && shown[active]) {
        ev.preventDefault();
        open(shown[active]);
      }
    });
    // A press inside the popup keeps the focus in the box, except on
    // the link to the search page.
    popup.addEventListener('mousedown', function (ev) {
      if (!ev.target.closest('a')) ev.preventDefault();
    });
    document.addEventListener('click', function (ev) {
      if (!form.contains(ev.target)) show(false);
    });
    form.addEventListener('focusout', function (ev) {
      if (!ev.relatedTarget || !form.contains(ev.relatedTarget)) show(false);
    });
    onStatus(function (st) {
      if (!popup.hidden && !shown.length) status.textContent = statusText(st);
      // More of the archive arrived: ask again for a complete answer.
      if (st.state === 'complete' && !popup.hidden && input.value.trim()) run();
    });
  }

  // "/" focuses the search box from anywhere but a text field.
  document.addEventListener('keydown', function (ev) {
    if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var target = document.getElementById('kb_search_q') || document.getElementById('kb_q');
    if (!target) return;
    ev.preventDefault();
    target.focus();
    target.select();
  });

  // ---- The search page ----

  var pageInput = document.getElementById('kb_search_q');
  if (pageInput) setupPage(pageInput);

  function setupPage(input) {
    var form = document.getElementById('kb_search_form');
    var summary = document.getElementById('kb_search_summary');
    var notes = document.getElementById('kb_search_notes');
    var results = document.getElementById('kb_search_results');
    var facets = document.getElementById('kb_facets');
    var fields = ['system', 'cause', 'severity', 'status', 'year'];
    var facetNames = { system: 'Systems', cause: 'Causes', severity: 'Severity', status: 'Status', year: 'Year' };
    var state = readURL();
    var current = 0;
    var partial = false;
    var pageSize = 20;
    var more = el('button', 'more');
    more.type = 'button';
    more.hidden = true;
    results.parentNode.insertBefore(more, results.nextSibling);
    more.addEventListener('click', function () {
      var shownCount = results.children.length;
      more.disabled = true;
      current = nextID;
      search({ query: state.q, filters: state.filters, size: pageSize, from: shownCount, highlight: true }, function (m) {
        if (m.id !== current || m.superseded || m.tier === 'instant') return;
        more.disabled = false;
        if (m.error) return;
        (m.result.hits || []).forEach(function (hit) { results.appendChild(resultItem(hit)); });
        showMore(m.result.total);
      });
    });

    function showMore(total) {
      var left = total - results.children.length;
      more.hidden = left <= 0;
      more.textContent = 'Show ' + Math.min(left, pageSize) + ' more of ' + left;
    }

    function readURL() {
      var p = new URLSearchParams(window.location.search);
      var s = { q: p.get('q') || '', filters: {} };
      fields.forEach(function (f) {
        var v = p.getAll(f).filter(Boolean);
        if (v.length) s.filters[f] = v;
      });
      return s;
    }

    function toURL(s) {
      var p = new URLSearchParams();
      if (s.q) p.set('q', s.q);
      fields.forEach(function (f) { (s.filters[f] || []).forEach(function (v) { p.append(f, v); }); });
      var qs = p.toString();
      return window.location.pathname + (qs ? '?' + qs : '');
    }

    function toggled(s, field, value) {
      var n = { q: s.q, filters: {} };
      fields.forEach(function (f) { if (s.filters[f]) n.filters[f] = s.filters[f].slice(); });
      var vs = n.filters[field] || [];
      var i = vs.indexOf(value);
      if (i >= 0) vs.splice(i, 1); else vs.push(value);
      if (vs.length) n.filters[field] = vs; else delete n.filters[field];
      return n;
    }

    function run(push) {
      var url = toURL(state);
      if (url !== window.location.pathname + window.location.search) {
        if (push) window.history.pushState(null, '', url);
        else window.history.replaceState(null, '', url);
      }
      var hasFilters = fields.some(function (f) { return state.filters[f]; });
      if (!state.q.trim() && !hasFilters) {
        results.textContent = '';
        facets.textContent = '';
        if (notes) renderNotes(notes, null, false);
        summary.textContent = 'Type to search every postmortem.';
        return;
      }
      current = nextID;
      summary.textContent = 'Searching…';
      search({ query: state.q, filters: state.filters, size: pageSize, highlight: true, facets: true }, function (m) {
        if (m.id !== current || m.superseded) return;
        if (m.error) { summary.textContent = 'Search failed: ' + m.error; return; }
        partial = !!m.result.partial;
        render(m.result, m.tier);
      });
    }

    function render(res, tier) {
      // Marks for measuring how soon a visitor sees results (make bench).
      if (window.performance && performance.mark) {
        var once = function (name) { if (!performance.getEntriesByName(name).length) performance.mark(name); };
        once('kb-first-result'); // any answer, the instant list's included
        if (tier !== 'instant') once('kb-bleve-result'); // bleve's, from the shards loaded so far
        if (tier !== 'instant' && !res.partial) once('kb-complete-result'); // bleve's, over every shard
      }
      results.setAttribute('data-query', state.q);
      results.setAttribute('data-tier', tier === 'instant' ? 'instant' : (res.partial ? 'partial' : 'full'));
      var n = res.total;
      var text = n === 1 ? '1 incident' : n + ' incidents';
      if (tier === 'instant') text += ' so far; full search is loading…';
      else if (res.partial) text += ' in the parts of the archive loaded so far…';
      summary.textContent = text;
      if (notes) renderNotes(notes, res, false);
      results.textContent = '';
      (res.hits || []).forEach(function (hit) { results.appendChild(resultItem(hit)); });
      showMore(tier === 'instant' ? 0 : res.total);
      renderFacets(res.facets || {});
    }

    function resultItem(hit) {
      var li = el('li', 'result');
      var h = el('h2');
      var a = el('a');
      a.href = hitURL(hit);
      a.appendChild(renderTitle(hit));
      h.appendChild(a);
      h.appendChild(document.createTextNode(' '));
      h.appendChild(hitName(hit));
      li.appendChild(h);
      var meta = el('p', 'hit-meta');
      meta.textContent = hitMeta(hit);
      if (hit.section && hit.section.title) {
        if (meta.textContent) meta.appendChild(document.createTextNode(' · '));
        var sec = el('a', 'hit-section', 'in ' + hit.section.title);
        sec.href = hitURL(hit);
        meta.appendChild(sec);
      }
      if (meta.childNodes.length) li.appendChild(meta);
      (hit.fragments || []).forEach(function (fr) {
        var p = el('p', 'hit-fragment');
        setHTML(p, fr);
        li.appendChild(p);
      });
      return li;
    }

    function renderFacets(fs) {
      facets.textContent = '';
      fields.forEach(function (field) {
        var values = fs[field] || [];
        var chosen = state.filters[field] || [];
        if (!values.length && !chosen.length) return;
        var box = el('section', 'facet');
        box.appendChild(el('h2', null, facetNames[field]));
        var ul = el('ul');
        var seen = {};
        values.forEach(function (v) {
          seen[v.value] = true;
          ul.appendChild(facetItem(field, v.value, v.label, v.count, chosen.indexOf(v.value) >= 0));
        });
        chosen.forEach(function (v) {
          if (!seen[v]) ul.appendChild(facetItem(field, v, v, 0, true));
        });
        box.appendChild(ul);
        facets.appendChild(box);
      });
    }

    function facetItem(field, value, label, count, on) {
      var li = el('li');
      var a = el('a', on ? 'on' : null);
      var next = toggled(state, field, value);
      a.href = toURL(next);
      // A link, not a toggle button (aria-pressed is for buttons): the
      // chosen filters are the current ones.
      if (on) a.setAttribute('aria-current', 'true');
      a.appendChild(el('span', 'facet-label', label));
      a.appendChild(el('span', 'facet-count', String(count)));
      a.addEventListener('click', function (ev) {
        ev.preventDefault();
        state = next;
        run(true);
      });
      li.appendChild(a);
      return li;
    }

    input.value = state.q;
    input.addEventListener('input', function () { state.q = input.value; run(false); });
    form.addEventListener('submit', function (ev) { ev.preventDefault(); state.q = input.value; run(true); });
    window.addEventListener('popstate', function () { state = readURL(); input.value = state.q; run(false); });
    onStatus(function (st) {
      if (st.state === 'error') summary.textContent = statusText(st);
      // A search answered from part of the archive is asked again once
      // everything has loaded.
      if (st.state === 'complete' && partial) run(false);
    });
    startWorker();
    run(false);
  }
})();

// An incident's contents and its timeline at a glance are <details>
// written closed (data-wide-open), so that a phone shows the postmortem's
// text first; a screen wide enough to hold them beside the text opens
// them, and closes them again when it narrows. The page's stylesheet
// shows them open on a wide screen until this has run.
(function () {
  'use strict';
  if (!window.matchMedia) return;
  var wide = window.matchMedia('(min-width: 64rem)');
  function apply() {
    var ds = document.querySelectorAll('details[data-wide-open]');
    for (var i = 0; i < ds.length; i++) ds[i].open = wide.matches;
  }
  apply();
  document.documentElement.setAttribute('data-details', 'set');
  if (wide.addEventListener) wide.addEventListener('change', apply);
})();
