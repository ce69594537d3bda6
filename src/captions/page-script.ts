/**
 * The captions page's script (issue 20), inlined under the page's CSP nonce. Plain ES2017, no build step.
 * Transcript text only ever goes in with textContent. It follows /events (Server-Sent Events) and reconnects
 * by itself, asking for what it missed (`since=RUN.SEQ`); a message seen before is never shown twice.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var q = new URLSearchParams(location.search);
  var root = document.documentElement;
  var body = document.body;
  var $ = function (id) { return document.getElementById(id); };
  var linesEl = $('lines'), partialsEl = $('partials'), allEl = $('all'), statusEl = $('status');
  var KEEP_ON_SCREEN = 60;
  var state = { run: null, seq: 0, ended: false, paused: false, finals: [], partials: {}, retry: 800, es: null, lost: false };

  // ---- URL options ----
  function setVar(name, value) { root.style.setProperty(name, value); }
  var lines = parseInt(q.get('lines') || '', 10);
  if (lines >= 1 && lines <= 50) setVar('--lines', String(lines));
  var theme = q.get('theme');
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  var bg = q.get('bg');
  if (bg === 'transparent') root.dataset.bg = 'transparent';
  else if (bg && /^#?[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(bg)) setVar('--bg', bg.charAt(0) === '#' ? bg : '#' + bg);
  if (q.get('partials') === '0') root.dataset.partials = '0';
  var font = q.get('font');
  if (font && /^[A-Za-z0-9 ,'"_-]{1,80}$/.test(font)) setVar('--font', font + ', system-ui, "DejaVu Sans", sans-serif');
  var align = q.get('align');
  if (align === 'left' || align === 'center' || align === 'right') { setVar('--align', align); root.dataset.align = align; }
  if (q.get('upper') === '1') setVar('--transform', 'uppercase');
  var width = q.get('width');
  if (width && /^\d{1,4}(\.\d+)?(%|ch|em|px|vw)?$/.test(width)) setVar('--width', /\d$/.test(width) ? width + '%' : width);
  var size = parseFloat(q.get('size') || '');
  if (size >= 8 && size <= 400) setVar('--size', size + 'px');

  function currentSize() { return parseFloat(getComputedStyle($('captions')).fontSize) || 48; }
  function resize(factor) {
    var next = Math.max(8, Math.min(400, Math.round(currentSize() * factor)));
    setVar('--size', next + 'px');
    q.set('size', String(next));
    history.replaceState(null, '', location.pathname + '?' + q.toString());
  }

  // ---- lines ----
  function span(cls, text) { var s = document.createElement('span'); s.className = cls; s.textContent = text; return s; }
  function speakerClass(c) { return 'label speaker ' + (typeof c === 'number' && c >= 0 ? 'c' + (c % 6) : 'cx'); }
  function fillLine(el, m, withTime) {
    if (withTime) { var t = document.createElement('time'); t.textContent = clock(m.startMs); el.appendChild(t); }
    if (m.lang) el.appendChild(span('lang', m.lang));
    if (m.source) el.appendChild(span('label source', m.source + (m.speaker ? '' : ':')));
    if (m.speaker) el.appendChild(span(speakerClass(m.c), m.speaker + ':'));
    el.appendChild(span('text', m.text));
  }
  function lineOf(m, withTime) {
    var el = document.createElement('div');
    el.className = 'line final';
    el.dataset.i = String(m.i);
    fillLine(el, m, withTime);
    return el;
  }
  function clock(ms) {
    var s = Math.max(0, Math.floor((ms || 0) / 1000));
    var p = function (n) { return (n < 10 ? '0' : '') + n; };
    return p(Math.floor(s / 3600)) + ':' + p(Math.floor(s / 60) % 60) + ':' + p(s % 60);
  }
  function divider(text) { var d = document.createElement('div'); d.className = 'divider'; d.textContent = text; return d; }
  function trimScreen() { while (linesEl.childElementCount > KEEP_ON_SCREEN) linesEl.removeChild(linesEl.firstElementChild); }
  function partialFor(source) {
    var key = source || '';
    var el = state.partials[key];
    if (!el) {
      el = document.createElement('div');
      el.className = 'line partial';
      if (source) el.appendChild(span('label source', source + ':'));
      el.appendChild(span('text', ''));
      state.partials[key] = el;
      partialsEl.appendChild(el);
    }
    return el;
  }
  function setPartial(source, text) {
    var el = partialFor(source);
    var t = el.lastChild;
    if (t.textContent !== text) t.textContent = text;
    el.classList.toggle('empty', text === '');
  }
  function clearPartials() { for (var k in state.partials) setPartial(k, ''); }
  function showFinal(m) {
    if (!state.paused) {
      linesEl.appendChild(lineOf(m, false));
      trimScreen();
    }
    setPartial(m.source, '');
    var atBottom = allEl.parentElement.scrollHeight - allEl.parentElement.scrollTop - allEl.parentElement.clientHeight < 40;
    allEl.appendChild(lineOf(m, true));
    if (atBottom) allEl.parentElement.scrollTop = allEl.parentElement.scrollHeight;
  }
  function reviseSpeakers(turns) {
    turns.forEach(function (r) {
      var found = document.querySelectorAll('.final[data-i="' + Number(r.i) + '"] .speaker');
      Array.prototype.forEach.call(found, function (s) { s.textContent = r.speaker + ':'; s.className = speakerClass(r.c); });
      state.finals.forEach(function (f) { if (f.i === r.i) { f.speaker = r.speaker; f.c = r.c; } });
    });
  }
  function redraw() {
    linesEl.textContent = '';
    state.finals.slice(-KEEP_ON_SCREEN).forEach(function (m) { linesEl.appendChild(lineOf(m, false)); });
  }

  // ---- status ----
  var STATUS = {
    connecting: 'Connecting to live-transcribe\u2026',
    lost: 'Connection lost: reconnecting\u2026',
    ended: 'live-transcribe stopped. The text stays here; a new run on this address continues on this page.',
    paused: 'Captions paused: press space (or Resume) to go on.'
  };
  function showStatus() {
    var s = body.dataset.state;
    var text = state.paused ? STATUS.paused : s === 'live' ? '' : s === 'ended' ? STATUS.ended + (state.endMessage ? ' (' + state.endMessage + ')' : '') : s === 'reconnecting' ? STATUS.lost : STATUS.connecting;
    statusEl.textContent = text;
    $('pause').textContent = state.paused ? 'Resume' : 'Pause';
  }
  function setState(s) { body.dataset.state = s; showStatus(); }

  // ---- the stream ----
  function onMessage(m) {
    if (m.t === 'run') {
      if (state.run !== m.run) {
        if (state.run !== null) {
          var label = 'A new run began ' + new Date().toLocaleTimeString();
          linesEl.appendChild(divider(label));
          allEl.appendChild(divider(label));
          clearPartials();
        }
        state.run = m.run; state.seq = 0; state.ended = false; state.endMessage = '';
      }
      setState('live');
      return;
    }
    if (typeof m.s === 'number') {
      if (m.s <= state.seq) return;
      state.seq = m.s;
    }
    if (m.t === 'final') { state.finals.push(m); showFinal(m); }
    else if (m.t === 'partial') { if (!state.paused) setPartial(m.source, m.text); }
    else if (m.t === 'speakers') reviseSpeakers(m.turns);
    else if (m.t === 'end') { state.ended = true; state.endMessage = m.message || ''; clearPartials(); setState('ended'); }
  }
  function eventsUrl() {
    var p = new URLSearchParams();
    var token = q.get('token');
    if (token) p.set('token', token);
    if (state.run !== null) p.set('since', state.run + '.' + state.seq);
    return '/events?' + p.toString();
  }
  function connect() {
    var es = new EventSource(eventsUrl());
    state.es = es;
    es.onopen = function () { state.retry = 800; };
    es.onmessage = function (e) { var m; try { m = JSON.parse(e.data); } catch (err) { return; } onMessage(m); };
    es.onerror = function () {
      es.close();
      if (state.es !== es) return;
      state.es = null;
      if (!state.ended) setState(state.run === null ? 'connecting' : 'reconnecting');
      setTimeout(connect, state.retry);
      state.retry = Math.min(5000, Math.round(state.retry * 1.5));
    };
  }

  // ---- controls ----
  function togglePause() {
    state.paused = !state.paused;
    if (!state.paused) { redraw(); }
    showStatus();
  }
  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (root.requestFullscreen) root.requestFullscreen().catch(function () {});
  }
  function openSheet(id) {
    ['transcript', 'help'].forEach(function (s) { $(s).hidden = s !== id; });
    if (id === 'transcript') $('transcript').scrollTop = $('transcript').scrollHeight;
  }
  function closeSheets() { openSheet(null); }
  var barTimer = 0;
  function showBar() {
    body.classList.add('show-bar');
    clearTimeout(barTimer);
    barTimer = setTimeout(function () { body.classList.remove('show-bar'); }, 3000);
  }
  $('smaller').onclick = function () { resize(1 / 1.15); };
  $('bigger').onclick = function () { resize(1.15); };
  $('pause').onclick = togglePause;
  $('full').onclick = toggleFullscreen;
  $('show-transcript').onclick = function () { openSheet('transcript'); };
  $('show-help').onclick = function () { openSheet('help'); };
  Array.prototype.forEach.call(document.querySelectorAll('.close'), function (b) { b.onclick = closeSheets; });
  Array.prototype.forEach.call(document.querySelectorAll('a.download'), function (a) {
    var token = q.get('token');
    if (token) a.href = a.getAttribute('href') + '?token=' + encodeURIComponent(token);
  });
  document.addEventListener('mousemove', showBar);
  document.addEventListener('touchstart', showBar, { passive: true });
  $('captions').addEventListener('click', showBar);
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var sheet = !$('transcript').hidden || !$('help').hidden;
    if (e.key === 'Escape') { closeSheets(); return; }
    if (e.key === '?' || e.key === 'h') { openSheet($('help').hidden ? 'help' : null); e.preventDefault(); return; }
    if (e.key === 't') { openSheet($('transcript').hidden ? 'transcript' : null); e.preventDefault(); return; }
    if (sheet) return;
    if (e.key === '+' || e.key === '=') resize(1.15);
    else if (e.key === '-' || e.key === '_') resize(1 / 1.15);
    else if (e.key === ' ' || e.key === 'p') togglePause();
    else if (e.key === 'f') toggleFullscreen();
    else return;
    e.preventDefault();
  });
  setState('connecting');
  connect();
})();
`;
