package dev.sqliteengine.webconsole;

import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.api.EngineStatus;

/**
 * The markup of the live charts: below the Engines table, a row of small charts per running
 * engine; on an engine's own view ({@code engines?engine=NAME}), the same charts large with the
 * engine's health checks beside them. The markup is only the frame: {@code res/engine-charts.js}
 * fetches {@code engines/history.json} every {@value #REFRESH_MILLIS} ms and draws into it with
 * uPlot, adds the charts of an engine that starts and removes those of one that goes, all without
 * reloading the page. Both scripts are served by this bundle (no CDN, the console works
 * offline) and neither is inline, so a strict Content-Security-Policy does not stop them.
 */
final class ChartsView {

    /** How often the page fetches new samples: as often as the engine takes them. */
    static final int REFRESH_MILLIS = 2_000;
    /** The resources, relative to the page ({@code /system/console/engines}). */
    static final String RESOURCES = "engines/res/";

    private ChartsView() {}

    /** @return the charts section of the Engines page */
    static String overview() {
        StringBuilder html = new StringBuilder(1024);
        head(html);
        html.append("<h2 class=\"engine-charts-title\">Live charts</h2>\n");
        frame(html, null);
        return scripts(html).toString();
    }

    /**
     * @param status the engine's status when the page is made
     * @param health its health then; the script keeps it fresh
     * @return an engine's own view: its charts large, its health checks beside them
     */
    static String detail(EngineStatus status, EngineHealth health) {
        StringBuilder html = new StringBuilder(2048);
        head(html);
        html.append("<p class=\"statline\"><a href=\"engines\">All engines</a> · engine <b>").append(Html.text(status.name()))
                .append("</b>, ").append(Html.text(status.state())).append(", ").append(Html.text(status.path()))
                .append("</p>\n<div class=\"engine-detail\">\n");
        frame(html, status.name());
        html.append("<div class=\"engine-health\"><h3>Health checks</h3>\n<table id=\"health\" class=\"nicetable\">")
                .append("<thead><tr><th>Check</th><th>Status</th><th>Why</th></tr></thead>\n<tbody>");
        for (EngineHealth.Finding f : health.findings()) {
            html.append("<tr data-check=\"").append(Html.text(f.check())).append("\"><td>").append(Html.text(f.check()))
                    .append("</td><td class=\"health-").append(Html.text(f.status())).append("\">").append(Html.text(f.status()))
                    .append("</td><td>").append(Html.text(f.message())).append("</td></tr>");
        }
        html.append("</tbody></table>\n<p class=\"statline\">Overall: <b id=\"health-status\">").append(Html.text(health.status()))
                .append("</b>. The same checks as the <a href=\"healthcheck?tags=").append(Html.text(status.name()))
                .append("\">Health Check page</a> runs for the tag ").append(Html.text(status.name())).append(".</p></div>\n</div>\n");
        return scripts(html).toString();
    }

    private static void head(StringBuilder html) {
        html.append("<link rel=\"stylesheet\" href=\"").append(RESOURCES).append("uplot/uPlot.min.css\">\n")
                .append("<link rel=\"stylesheet\" href=\"").append(RESOURCES).append("engines.css\">\n");
    }

    /** The element the script draws into; {@code engine} set for one engine's large charts. */
    private static void frame(StringBuilder html, String engine) {
        html.append("<div id=\"engine-charts\" class=\"engine-charts").append(engine == null ? "" : " large")
                .append("\" data-source=\"engines/history.json\" data-refresh=\"").append(REFRESH_MILLIS).append('"');
        if (engine != null) {
            html.append(" data-engine=\"").append(Html.text(engine)).append('"');
        }
        html.append(">\n<p class=\"statline engine-charts-range\">Show the last ")
                .append("<button type=\"button\" data-series=\"recent\" class=\"ui-state-active\">15 minutes</button> ")
                .append("<button type=\"button\" data-series=\"hour\">hour</button>")
                .append(" <span class=\"engine-charts-note\">(one point every 2 s, or 20 s for the hour;")
                .append(" lines marked on the WAL chart are the checkpoints the engine ran)</span>")
                .append(" <span id=\"engine-charts-status\"></span></p>\n")
                .append("<div class=\"engine-chart-groups\"></div>\n</div>\n");
    }

    private static StringBuilder scripts(StringBuilder html) {
        return html.append("<script src=\"").append(RESOURCES).append("uplot/uPlot.iife.min.js\"></script>\n")
                .append("<script src=\"").append(RESOURCES).append("engine-charts.js\"></script>\n");
    }
}
