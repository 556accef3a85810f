/*
 * The live charts of sqlite-engine's Engines page: fetches engines/history.json every few seconds
 * and draws each engine's samples with uPlot (served beside this file). Engines that start get
 * their charts, engines that go lose them, and nothing reloads the page. Each chart element
 * carries data-points, the points it draws now, and data-peaks, each line's highest value
 * ("commits=12.5;errors=0"), and the WAL chart data-marks, the checkpoints it marks; the frame carries data-refreshes, how many answers it drew: what
 * people see at a glance, tests can read.
 */
(function () {
    'use strict';
    var root = document.getElementById('engine-charts');
    if (!root || !window.uPlot) {
        return;
    }
    var source = root.getAttribute('data-source');
    var only = root.getAttribute('data-engine');
    var refresh = parseInt(root.getAttribute('data-refresh'), 10) || 2000;
    var large = only !== null;
    var series = 'recent';
    var groups = {};
    var refreshes = 0;
    var timer = null;
    var inFlight = false;
    var container = root.querySelector('.engine-chart-groups');
    var resizes = new ResizeObserver(function (entries) {
        entries.forEach(function (entry) {
            var chart = entry.target.chart;
            if (chart && chart.u !== null && Math.abs(chart.u.width - size(chart.el).width) > 1) {
                chart.u.setSize(size(chart.el));
            }
        });
    });
    var status = document.getElementById('engine-charts-status');

    function figure(v) { return v === 0 ? '0' : v.toFixed(v < 1 ? 2 : v < 10 ? 1 : 0); }
    function ms(v) { return v == null ? '-' : figure(v) + ' ms'; }
    function rate(v) { return v == null ? '-' : figure(v) + '/s'; }
    function count(v) { return v == null ? '-' : String(Math.round(v)); }
    function bytes(v) {
        if (v == null) { return '-'; }
        var units = ['B', 'KiB', 'MiB', 'GiB'];
        var i = 0;
        while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
        return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
    }

    /* What each chart draws: its title and its lines, each a column of the engine's data. */
    var CHARTS = [
        { id: 'commits', title: 'Commits and errors per second', lines: function () {
            return [{ label: 'commits', key: 'commits', stroke: '#2a7d2e', value: rate },
                    { label: 'errors', key: 'errors', stroke: '#c0392b', value: rate }];
        } },
        { id: 'latency', title: 'Read and write units, p50 and p99', lines: function () {
            return [{ label: 'read p50', key: 'readP50', stroke: '#7fb3d5', value: ms },
                    { label: 'read p99', key: 'readP99', stroke: '#1f618d', value: ms },
                    { label: 'write p50', key: 'writeP50', stroke: '#f0b27a', value: ms },
                    { label: 'write p99', key: 'writeP99', stroke: '#ba4a00', value: ms }];
        } },
        { id: 'queue', title: 'Writer queue: waiting threads and wait p99', lines: function () {
            return [{ label: 'waiting', key: 'queueDepth', stroke: '#6c3483', value: count, scale: 'n' },
                    { label: 'wait p99', key: 'queueWaitP99', stroke: '#d35400', value: ms, scale: 'ms' }];
        } },
        { id: 'pools', title: 'Pools: connections in use (peak)', lines: function (engine) {
            var colours = ['#ba4a00', '#1f618d', '#2a7d2e', '#6c3483', '#7f8c8d'];
            return engine.pools.map(function (p, i) {
                var max = p.max.length ? p.max[p.max.length - 1] : null;
                return { id: p.name, label: p.name + (max == null ? '' : ' (max ' + max + ')'), column: p.active,
                         stroke: colours[i % colours.length], value: count };
            });
        } },
        { id: 'wal', title: 'WAL size; dashed: checkpoints the engine ran', lines: function () {
            return [{ label: 'WAL', key: 'wal', stroke: '#34495e', value: bytes, fill: 'rgba(52,73,94,0.08)' }];
        }, marks: true }
    ];

    function columns(spec, engine) {
        return spec.lines(engine).map(function (line) {
            return line.column || engine[line.key] || [];
        });
    }

    /* "id=highest;id=highest" over what the chart shows: each line's peak, for tests and tooltips */
    function peaks(spec, engine, data) {
        return spec.lines(engine).map(function (line, i) {
            var top = 0;
            data[i + 1].forEach(function (v) { if (v != null && v > top) { top = v; } });
            return (line.id || line.key) + '=' + top;
        }).join(';');
    }

    function points(data) {
        var n = 0;
        for (var s = 1; s < data.length; s++) {
            for (var i = 0; i < data[s].length; i++) {
                if (data[s][i] != null) { n++; }
            }
        }
        return n;
    }

    function size(el) {
        var width = Math.max(200, el.clientWidth - 4);
        return { width: width, height: large ? 220 : 140 };
    }

    function options(spec, engine, chart) {
        var lines = spec.lines(engine);
        var scales = { x: { time: true } };
        var axes = [{ size: 30 }];
        var used = {};
        lines.forEach(function (line) { used[line.scale || 'y'] = line; });
        Object.keys(used).forEach(function (scale, i) {
            scales[scale] = { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } };
            var axis = { scale: scale, side: i === 0 ? 3 : 1, size: 66, grid: { show: i === 0 },
                         values: function (u, vals) { return vals.map(used[scale].value); } };
            if (used[scale].value === count) {
                axis.incrs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
            }
            axes.push(axis);
        });
        var opts = {
            width: size(chart.el).width, height: size(chart.el).height,
            scales: scales, axes: axes, legend: { show: true },
            cursor: { points: { show: false } },
            series: [{}].concat(lines.map(function (line) {
                return { label: line.label, stroke: line.stroke, width: 1.5, scale: line.scale || 'y',
                         fill: line.fill, spanGaps: false, points: { show: false },
                         value: function (u, v) { return line.value(v); } };
            }))
        };
        if (spec.marks) {
            opts.hooks = { draw: [function (u) { drawMarks(u, chart.marks || []); }] };
        }
        return opts;
    }

    function drawMarks(u, marks) {
        var ctx = u.ctx;
        marks.forEach(function (mark) {
            var x = Math.round(u.valToPos(mark.t, 'x', true));
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) { return; }
            ctx.save();
            ctx.strokeStyle = mark.completed ? '#2e86c1' : '#c0392b';
            ctx.lineWidth = 1.5;
            ctx.setLineDash([5, 4]);
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.restore();
        });
    }

    function group(name) {
        var g = groups[name];
        if (g) { return g; }
        var el = document.createElement('div');
        el.className = 'engine-chart-group';
        el.setAttribute('data-engine', name);
        if (!large) {
            var heading = document.createElement('h3');
            var link = document.createElement('a');
            link.href = 'engines?engine=' + encodeURIComponent(name);
            link.textContent = name;
            link.title = 'its charts large, with its health checks';
            heading.appendChild(link);
            el.appendChild(heading);
        }
        var row = document.createElement('div');
        row.className = 'engine-chart-row';
        el.appendChild(row);
        g = { el: el, charts: {} };
        CHARTS.forEach(function (spec) {
            var box = document.createElement('div');
            box.className = 'engine-chart';
            box.setAttribute('data-chart', spec.id);
            box.setAttribute('data-points', '0');
            var title = document.createElement('div');
            title.className = 'title';
            title.textContent = spec.title;
            box.appendChild(title);
            var plot = document.createElement('div');
            plot.className = 'plot';
            box.appendChild(plot);
            row.appendChild(box);
            var chart = { el: box, plot: plot, u: null, labels: null };
            g.charts[spec.id] = chart;
            // the box's width follows the page's layout (the window, the row wrapping): the chart follows it
            resizes.observe(box);
            box.chart = chart;
        });
        insertSorted(el, name);
        groups[name] = g;
        return g;
    }

    function insertSorted(el, name) {
        var after = null;
        Array.prototype.forEach.call(container.children, function (child) {
            if (after === null && child.getAttribute('data-engine') > name) { after = child; }
        });
        container.insertBefore(el, after);
    }

    function draw(engine) {
        var g = group(engine.name);
        CHARTS.forEach(function (spec) {
            var chart = g.charts[spec.id];
            var data = [engine.t].concat(columns(spec, engine));
            var labels = spec.lines(engine).map(function (line) { return line.label; }).join('|');
            chart.marks = engine.checkpoints;
            if (chart.u === null || chart.labels !== labels) {
                if (chart.u !== null) { chart.u.destroy(); }
                chart.u = new uPlot(options(spec, engine, chart), data, chart.plot);
                chart.labels = labels;
            } else {
                chart.u.setData(data);
            }
            chart.el.setAttribute('data-points', String(points(data)));
            chart.el.setAttribute('data-peaks', peaks(spec, engine, data));
            if (spec.marks) { chart.el.setAttribute('data-marks', String(engine.checkpoints.length)); }
        });
        if (engine.health) { health(engine); }
    }

    function health(engine) {
        var table = document.getElementById('health');
        if (!table) { return; }
        var body = table.tBodies[0];
        while (body.firstChild) { body.removeChild(body.firstChild); }
        engine.health.forEach(function (finding) {
            var tr = document.createElement('tr');
            tr.setAttribute('data-check', finding.check);
            [finding.check, finding.status, finding.message].forEach(function (text, i) {
                var td = document.createElement('td');
                td.textContent = text;
                if (i === 1) { td.className = 'health-' + finding.status; }
                tr.appendChild(td);
            });
            body.appendChild(tr);
        });
        var overall = document.getElementById('health-status');
        if (overall) { overall.textContent = engine.status; }
    }

    function render(answer) {
        var seen = {};
        answer.engines.forEach(function (engine) {
            seen[engine.name] = true;
            draw(engine);
        });
        Object.keys(groups).forEach(function (name) {
            if (!seen[name]) {
                Object.keys(groups[name].charts).forEach(function (id) {
                    var chart = groups[name].charts[id];
                    resizes.unobserve(chart.el);
                    if (chart.u !== null) { chart.u.destroy(); }
                });
                container.removeChild(groups[name].el);
                delete groups[name];
            }
        });
        refreshes++;
        root.setAttribute('data-refreshes', String(refreshes));
        root.setAttribute('data-series', answer.series);
        status.className = '';
        status.textContent = answer.engines.length === 0 && only !== null
                ? 'engine ' + only + ' is not running' : '';
    }

    function load() {
        inFlight = true;
        // without the user and password of a page opened as http://user:password@host/...: fetch
        // refuses such a URL, and the browser sends the credentials it has for the origin anyway
        var url = new URL(source, document.baseURI);
        url.username = '';
        url.password = '';
        url.searchParams.set('series', series);
        if (only !== null) { url.searchParams.set('engine', only); }
        fetch(url.href, { credentials: 'same-origin', cache: 'no-store' }).then(function (response) {
            if (!response.ok) { throw new Error('HTTP ' + response.status); }
            return response.json();
        }).then(render).catch(function (e) {
            status.className = 'failed';
            status.textContent = 'refresh failed: ' + e.message;
        }).then(function () {
            inFlight = false;
            timer = window.setTimeout(load, refresh);
        });
    }

    Array.prototype.forEach.call(root.querySelectorAll('button[data-series]'), function (button) {
        button.addEventListener('click', function () {
            series = button.getAttribute('data-series');
            Array.prototype.forEach.call(root.querySelectorAll('button[data-series]'), function (b) {
                b.classList.toggle('ui-state-active', b === button);
            });
            Object.keys(groups).forEach(function (name) {
                Object.keys(groups[name].charts).forEach(function (id) {
                    var chart = groups[name].charts[id];
                    if (chart.u !== null) { chart.u.destroy(); chart.u = null; }
                });
            });
            if (!inFlight) {
                window.clearTimeout(timer);
                load();
            }
        });
    });

    load();
}());
