/* check-report.js - the browser test's probe, injected by
 * run-browser-test.py at the end of a COPY of report.html (the product page
 * never carries it). It runs after the page's own script, drives the page
 * as a person would (clicks a column heading, types in the filter, picks a
 * status) and writes its verdict into the DOM as
 *
 *     <pre id="browser-test-verdict">VERDICT {"ok":true,"checks":[...]}</pre>
 *
 * which the runner reads from chromium's --dump-dom. __EXPECT__ is replaced
 * by the runner with what links.json says: {"links":N,"failing":N,"docs":N}.
 */
(function () {
    'use strict';
    var expect = __EXPECT__;
    var out = { ok: true, checks: [] };

    function check(name, cond, detail) {
        out.checks.push({ name: name, ok: !!cond, detail: String(detail === undefined ? '' : detail) });
        if (!cond)
            out.ok = false;
    }

    function rows() { return Array.prototype.slice.call(document.querySelectorAll('#links tbody tr')); }
    function shown() { return rows().filter(function (r) { return !r.hidden && r.offsetParent !== null; }); }
    function col(name) {
        var ths = Array.prototype.slice.call(document.querySelectorAll('#links thead th'));
        for (var i = 0; i < ths.length; i++)
            if (ths[i].textContent.trim() === name)
                return i;
        return -1;
    }
    function cellTexts(c) { return rows().map(function (r) { return r.cells[c].textContent.trim(); }); }
    function fire(el, type) { el.dispatchEvent(new Event(type, { bubbles: true })); }
    var collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    function sorted(list, dir) {
        for (var i = 1; i < list.length; i++)
            if (list[i - 1] !== '' && list[i] !== '' && dir * collator.compare(list[i - 1], list[i]) > 0)
                return false;
        return true;
    }

    function tableChecks() {
        var all = rows();
        check('one row per link of links.json', all.length === expect.links, all.length + ' rows, ' + expect.links + ' links');
        check('every row shown at first', shown().length === all.length, shown().length);
        check('filter controls visible', !document.getElementById('filter-controls').hidden);

        var u = col('URL'), th = document.querySelectorAll('#links thead th')[u];
        var before = cellTexts(u).join('\n');
        th.querySelector('button').click();
        var asc = cellTexts(u);
        check('URL heading sorts ascending', sorted(asc, 1) && th.getAttribute('aria-sort') === 'ascending',
              th.getAttribute('aria-sort'));
        check('sorting changed the order', asc.join('\n') !== before);
        th.querySelector('button').click();
        var desc = cellTexts(u);
        check('second click sorts descending', sorted(desc, -1) && th.getAttribute('aria-sort') === 'descending',
              th.getAttribute('aria-sort'));
        var pos = document.querySelectorAll('#links thead th')[col('File:line')];
        check('only one heading has aria-sort', document.querySelectorAll('#links thead th[aria-sort]').length === 1);

        var s = col('Status');
        document.querySelectorAll('#links thead th')[s].querySelector('button').click();
        check('status sort puts failing links first', expect.failing === 0 || rows()[0].dataset.group === 'failing',
              rows()[0].dataset.group);
        pos.querySelector('button').click();
        check('File:line sort restores document order',
              rows().every(function (r, i) { return +r.dataset.i === i; }));

        var text = document.getElementById('filter-text');
        text.value = 'gone';
        fire(text, 'input');
        var vis = shown();
        check('text filter hides rows', vis.length > 0 && vis.length < all.length, vis.length + ' of ' + all.length);
        check('text filter keeps matching rows only', vis.every(function (r) {
            return r.textContent.toLowerCase().indexOf('gone') >= 0;
        }));
        check('filter count says so', /Showing \d+ of \d+/.test(document.getElementById('filter-count').textContent),
              document.getElementById('filter-count').textContent);
        text.value = 'no-such-link-anywhere';
        fire(text, 'input');
        check('no match: message shown', shown().length === 0 && !document.getElementById('filter-empty').hidden);
        text.value = '';
        fire(text, 'input');
        check('clearing the filter shows every row', shown().length === all.length);

        var st = document.getElementById('filter-status');
        st.value = 'g:failing';
        fire(st, 'change');
        check('status filter: failing rows only', shown().length === expect.failing &&
              shown().every(function (r) { return r.dataset.group === 'failing'; }),
              shown().length + ' shown, ' + expect.failing + ' failing in links.json');
        st.value = '';
        fire(st, 'change');
    }

    function graphChecks() {
        var svg = document.querySelector('#graph svg');
        check('inline SVG graph present', !!svg);
        if (!svg)
            return;
        var nodes = svg.querySelectorAll('g.node');
        check('graph has nodes', nodes.length > 0, nodes.length);
        var box = svg.getBoundingClientRect(), bb = svg.getBBox();
        check('graph is drawn with a size', box.width > 50 && box.height > 20 && bb.width > 0 && bb.height > 0,
              Math.round(box.width) + 'x' + Math.round(box.height));
        check('graph fits the window', box.width <= document.documentElement.clientWidth + 1,
              Math.round(box.width) + ' > ' + document.documentElement.clientWidth);
    }

    function pageChecks() {
        check('no script error', (window.__reportErrors || []).length === 0, (window.__reportErrors || []).join('; '));
        check('documents: one section each', document.querySelectorAll('section.doc').length === expect.docs,
              document.querySelectorAll('section.doc').length);
        var ext = Array.prototype.slice.call(document.querySelectorAll('script[src], link[href], img, iframe, object, embed'));
        check('nothing external', ext.length === 0, ext.map(function (e) { return e.outerHTML; }).join(' '));
        var res = performance.getEntriesByType('resource').map(function (e) { return e.name; });
        check('no resource fetched', res.length === 0, res.join(' '));
        check('table caption and scoped headings',
              !!document.querySelector('#links caption') && document.querySelectorAll('#links thead th[scope=col]').length === 9);
        check('page is not wider than the window', document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1,
              document.documentElement.scrollWidth + ' > ' + document.documentElement.clientWidth);
    }

    [tableChecks, graphChecks, pageChecks].forEach(function (f) {
        try {
            f();
        } catch (e) {
            check(f.name + ' threw', false, e && e.stack ? e.stack : e);
        }
    });
    var pre = document.createElement('pre');
    pre.id = 'browser-test-verdict';
    pre.textContent = 'VERDICT ' + JSON.stringify(out);
    document.body.appendChild(pre);
})();
