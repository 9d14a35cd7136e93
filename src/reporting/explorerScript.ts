/**
 * The step-through explorer's script, inlined in index.html (no network,
 * no modules). It reads the JSON blob `#midpath-data` (`{ traces: [...] }`)
 * and drives every `section.mp-explorer[data-trace]`: previous/next, first,
 * jump to the violating step (scrolled into view in the diagram and in the
 * step table), ← and → keys, clicking a step of the sequence diagram or a
 * row of the step table; for the shown step it writes the step's text, the
 * violated properties, every component's state (changed ones marked), the
 * clock bounds and the log records. It writes only through `textContent`,
 * never HTML, so names from the trace stay text.
 */
export const EXPLORER_SCRIPT = `(function () {
  'use strict';
  var blob = document.getElementById('midpath-data');
  if (!blob) return;
  var data = JSON.parse(blob.textContent || '{}');
  var traces = data.traces || [];
  var explorers = [];
  var active = null;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function secs(t) { return (Math.round(t * 1000) / 1000) + ' s'; }
  function fill(list, items, empty) {
    list.textContent = '';
    if (items.length === 0) { list.appendChild(el('li', empty, 'mp-none')); return; }
    items.forEach(function (x) { list.appendChild(el('li', x)); });
  }

  function Explorer(root) {
    var index = Number(root.getAttribute('data-trace'));
    var trace = traces[index];
    var figure = document.querySelector('figure.mp-sequence-figure[data-trace="' + index + '"]');
    var table = document.querySelector('.mp-steps-box[data-trace="' + index + '"]');
    var role = function (r) { return root.querySelector('[data-role="' + r + '"]'); };
    var step = 0;
    function show(k) {
      step = Math.max(0, Math.min(trace.steps.length - 1, k));
      var st = trace.steps[step];
      var prev = step > 0 ? trace.steps[step - 1] : null;
      root.setAttribute('data-step', String(step));
      role('pos').textContent = 'step ' + (step + 1) + ' / ' + trace.steps.length + ' \\u00b7 t = ' + secs(st.time) + (step === trace.violationStep ? ' \\u00b7 VIOLATION' : '');
      role('text').textContent = st.text;
      var v = role('violates');
      v.textContent = st.violates.length ? 'violates: ' + st.violates.join(', ') : '';
      root.classList.toggle('mp-at-violation', step === trace.violationStep);
      var body = role('states');
      body.textContent = '';
      Object.keys(st.states).forEach(function (name) {
        var tr = el('tr');
        var changed = prev !== null && prev.states[name] !== st.states[name];
        if (changed) tr.className = 'mp-changed';
        tr.appendChild(el('td', name));
        tr.appendChild(el('td', st.states[name]));
        body.appendChild(tr);
      });
      fill(role('clocks'), st.clocks, 'no clocks');
      fill(role('logs'), st.logs.map(function (g) { return g.component + ': ' + g.reason; }), 'none');
      role('prev').disabled = step === 0;
      role('next').disabled = step === trace.steps.length - 1;
      if (figure) {
        var old = figure.querySelectorAll('.mp-current');
        for (var i = 0; i < old.length; i++) old[i].classList.remove('mp-current');
        var cur = figure.querySelector('g.mp-step[data-step="' + step + '"]');
        if (cur) cur.classList.add('mp-current');
      }
      if (table) {
        var was = table.querySelectorAll('tr.mp-current');
        for (var j = 0; j < was.length; j++) was[j].classList.remove('mp-current');
        var row = table.querySelector('tr[data-step="' + step + '"]');
        if (row) row.classList.add('mp-current');
      }
    }
    function within(box, el) {
      var b = box.getBoundingClientRect();
      var r = el.getBoundingClientRect();
      box.scrollTop += (r.top + r.height / 2) - (b.top + b.height / 2);
    }
    function reveal() {
      var g = figure ? figure.querySelector('g.mp-step[data-step="' + step + '"]') : null;
      var row = table ? table.querySelector('tr[data-step="' + step + '"]') : null;
      if (row) within(table, row);
      if (g) { within(figure, g); figure.scrollIntoView({ block: 'nearest' }); }
    }
    this.show = show;
    this.move = function (d) { show(step + d); };
    this.drop = function () { show(trace.violationStep); reveal(); };
    var self = this;
    root.addEventListener('click', function (e) {
      var b = e.target && e.target.closest ? e.target.closest('button[data-act]') : null;
      if (!b) return;
      active = self;
      var act = b.getAttribute('data-act');
      if (act === 'prev') self.move(-1);
      else if (act === 'next') self.move(1);
      else if (act === 'first') show(0);
      else if (act === 'drop') self.drop();
    });
    root.addEventListener('focusin', function () { active = self; });
    if (table) {
      table.addEventListener('click', function (e) {
        var tr = e.target && e.target.closest ? e.target.closest('tr[data-step]') : null;
        if (!tr) return;
        active = self;
        show(Number(tr.getAttribute('data-step')));
      });
    }
    if (figure) {
      figure.addEventListener('click', function (e) {
        var g = e.target && e.target.closest ? e.target.closest('g.mp-step') : null;
        if (!g) return;
        active = self;
        show(Number(g.getAttribute('data-step')));
      });
    }
    show(0);
  }

  var roots = document.querySelectorAll('section.mp-explorer[data-trace]');
  for (var i = 0; i < roots.length; i++) explorers.push(new Explorer(roots[i]));
  active = explorers[0] || null;
  document.addEventListener('keydown', function (e) {
    if (!active || e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA')) return;
    if (e.key === 'ArrowRight') { active.move(1); e.preventDefault(); }
    else if (e.key === 'ArrowLeft') { active.move(-1); e.preventDefault(); }
  });
})();
`;
