/* report.js - the script report.html inlines (embedded at build time by
 * embed.py): sorting and filtering of the links table, the graph's zoom,
 * and opening every <details> for printing. Plain script, no libraries,
 * nothing fetched. Without it the page still shows everything, in
 * document order. */
(function () {
    'use strict';

    var table = document.getElementById('links');
    var graph = document.getElementById('graph-figure');
    var zoom = document.getElementById('graph-zoom');

    /* The graph fits the window by default; "actual size" lets it scroll. */
    if (graph && zoom) {
        zoom.hidden = false;
        zoom.addEventListener('click', function () {
            var actual = graph.classList.toggle('actual');
            zoom.setAttribute('aria-pressed', actual ? 'true' : 'false');
        });
    }

    /* Printing shows what <details> hide on screen. */
    var opened = [];
    window.addEventListener('beforeprint', function () {
        opened = Array.prototype.filter.call(document.querySelectorAll('details'),
            function (d) { return !d.open; });
        opened.forEach(function (d) { d.open = true; });
    });
    window.addEventListener('afterprint', function () {
        opened.forEach(function (d) { d.open = false; });
        opened = [];
    });

    if (!table || !table.tBodies.length)
        return;

    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var text = document.getElementById('filter-text');
    var status = document.getElementById('filter-status');
    var region = document.getElementById('filter-region');
    var count = document.getElementById('filter-count');
    var empty = document.getElementById('filter-empty');
    var controls = document.getElementById('filter-controls');
    var collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

    rows.forEach(function (r, i) { r.dataset.i = i; });
    if (controls)
        controls.hidden = false;

    /* What a cell sorts by: its data-key when it has one, else its text. */
    function key(row, col) {
        var c = row.cells[col];
        if (!c)
            return '';
        return c.hasAttribute('data-key') ? c.getAttribute('data-key') : c.textContent.trim();
    }

    /* Empty cells go last whichever the direction; ties keep document order. */
    function sortBy(col, dir) {
        var keyed = rows.map(function (r) { return { r: r, k: key(r, col), i: +r.dataset.i }; });
        keyed.sort(function (a, b) {
            if (a.k === '' || b.k === '')
                return (a.k === '') - (b.k === '') || a.i - b.i;
            return dir * collator.compare(a.k, b.k) || a.i - b.i;
        });
        var frag = document.createDocumentFragment();
        keyed.forEach(function (x) { frag.appendChild(x.r); });
        tbody.appendChild(frag);
        heads.forEach(function (th, i) {
            if (i === col)
                th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
            else if (th.hasAttribute('aria-sort'))
                th.removeAttribute('aria-sort');
        });
    }

    heads.forEach(function (th, col) {
        var b = th.querySelector('button');
        if (!b)
            return;
        b.addEventListener('click', function () {
            sortBy(col, th.getAttribute('aria-sort') === 'ascending' ? -1 : 1);
        });
    });

    function matches(row, i, terms, st, rg) {
        var d = row.dataset;
        if (st && st !== 'g:' + d.group && st !== 'c:' + d.cls)
            return false;
        if (rg && rg !== d.region)
            return false;
        return terms.every(function (t) { return texts[i].indexOf(t) >= 0; });
    }

    function filter() {
        var terms = text ? text.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
        var st = status ? status.value : '';
        var rg = region ? region.value : '';
        var shown = 0;
        rows.forEach(function (r) {
            var on = matches(r, +r.dataset.i, terms, st, rg);
            r.hidden = !on;
            shown += on;
        });
        if (count)
            count.textContent = shown === rows.length
                ? 'Showing all ' + rows.length + ' links.'
                : 'Showing ' + shown + ' of ' + rows.length + ' links.';
        if (empty)
            empty.hidden = shown !== 0;
    }

    [text, status, region].forEach(function (el) {
        if (el) {
            el.addEventListener('input', filter);
            el.addEventListener('change', filter);
        }
    });

    /* Links in the summary ("3 dead") filter the table to that status. */
    Array.prototype.forEach.call(document.querySelectorAll('a[data-filter]'), function (a) {
        a.addEventListener('click', function () {
            if (!status)
                return;
            status.value = a.getAttribute('data-filter');
            if (status.value !== a.getAttribute('data-filter'))
                status.value = '';
            if (text)
                text.value = '';
            if (region)
                region.value = '';
            filter();
        });
    });

    filter(); /* the browser may have restored the controls' values */
})();
