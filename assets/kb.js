// kb's page script: the search box on every page, the search page, and the
// service worker that keeps the site readable and searchable offline.
// Nothing here is needed to read a page; everything degrades to plain
// links and a form that opens the search page.
//
// Search runs in a Web Worker (search/worker.js, which loads the bleve
// module compiled to WebAssembly); its protocol is documented in
// internal/search/doc.go. The worker starts on first use of a search box,
// or when the browser is idle, so it never competes with the page load.
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

  if ('requestIdleCallback' in window) {
    window.requestIdleCallback(function () { startWorker(); }, { timeout: 4000 });
  } else {
    window.setTimeout(startWorker, 2000);
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

  function hitMeta(hit) {
    var parts = [];
    if (hit.date) parts.push(hit.date);
    if (hit.severity) parts.push(hit.severity);
    if (hit.systems && hit.systems.length) parts.push(hit.systems.join(', '));
    return parts.join(' · ');
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

  var box = document.getElementById('kb_q');
  if (box) setupBox(box);

  function setupBox(input) {
    var popup = document.getElementById('kb_popup');
    var list = document.getElementById('kb_results');
    var status = document.getElementById('kb_status');
    var form = input.form;
    var active = -1;
    var shown = []; // hits on screen
    var current = 0; // id of the newest request

    function open(yes) {
      popup.hidden = !yes;
      input.setAttribute('aria-expanded', yes ? 'true' : 'false');
    }

    function setActive(i) {
      var items = list.querySelectorAll('[role="option"]');
      if (!items.length) { active = -1; return; }
      active = (i + items.length) % items.length;
      items.forEach(function (it, j) { it.setAttribute('aria-selected', j === active ? 'true' : 'false'); });
      input.setAttribute('aria-activedescendant', items[active].id);
      items[active].scrollIntoView({ block: 'nearest' });
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
      shown.forEach(function (hit, i) {
        var li = el('li', 'hit');
        li.id = 'kb_hit_' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        var a = el('a');
        a.href = hitURL(hit);
        a.tabIndex = -1;
        a.appendChild(renderTitle(hit));
        var meta = hitMeta(hit);
        if (hit.section && hit.section.title) meta += (meta ? ' · ' : '') + 'in ' + hit.section.title;
        if (meta) a.appendChild(el('span', 'hit-meta', meta));
        if (hit.fragments && hit.fragments.length) {
          var f = el('span', 'hit-fragment');
          setHTML(f, hit.fragments[0]);
          a.appendChild(f);
        }
        li.appendChild(a);
        li.addEventListener('mousemove', function () { if (active !== i) setActive(i); });
        list.appendChild(li);
      });
      var more = res.total > shown.length ? res.total - shown.length : 0;
      status.textContent = shown.length === 0
        ? (tier === 'instant' ? 'Searching…' : 'No incidents match.')
        : (more ? more + ' more on the search page (Enter)' : '');
      open(true);
      if (chosen) {
        for (var i = 0; i < shown.length; i++) {
          if (shown[i].id === chosen) { setActive(i); break; }
        }
      }
    }

    function run() {
      var q = input.value;
      if (!q.trim()) { open(false); list.textContent = ''; return; }
      var id = nextID; // the id search() is about to use
      current = id;
      search({ query: q, size: 8, highlight: true }, function (m) {
        if (m.id !== current || m.superseded) return;
        if (m.error) { status.textContent = m.error; open(true); return; }
        render(m.result, m.tier, q);
      });
    }

    input.addEventListener('focus', startWorker);
    input.addEventListener('input', run);
    input.addEventListener('keydown', function (ev) {
      switch (ev.key) {
        case 'ArrowDown': ev.preventDefault(); if (popup.hidden) run(); else setActive(active + 1); break;
        case 'ArrowUp': ev.preventDefault(); setActive(active - 1); break;
        case 'Enter':
          if (active >= 0 && shown[active]) {
            ev.preventDefault();
            window.location.href = hitURL(shown[active]);
          }
          break; // otherwise the form opens the search page
        case 'Escape':
          if (!popup.hidden) { open(false); ev.preventDefault(); } else input.blur();
          break;
      }
    });
    // Enter submits the form unless a result is chosen; some input
    // methods submit even when keydown was cancelled, so the choice is
    // honoured here too.
    form.addEventListener('submit', function (ev) {
      if (active >= 0 && shown[active]) {
        ev.preventDefault();
        window.location.href = hitURL(shown[active]);
      }
    });
    document.addEventListener('click', function (ev) {
      if (!form.contains(ev.target)) open(false);
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
      if (tier === 'instant') text += ' with matching titles so far; full search is loading…';
      else if (res.partial) text += ' in the parts of the archive loaded so far…';
      summary.textContent = text;
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
        li.appendChild(h);
        var meta = el('p', 'hit-meta');
        meta.textContent = hitMeta(hit);
        if (hit.section && hit.section.title) {
          if (meta.textContent) meta.appendChild(document.createTextNode(' · '));
          var sec = el('a', 'hit-section', 'in ' + hit.section.title);
          sec.href = hitURL(hit);
          meta.appendChild(sec);
        }
        li.appendChild(meta);
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
      a.setAttribute('aria-pressed', on ? 'true' : 'false');
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
