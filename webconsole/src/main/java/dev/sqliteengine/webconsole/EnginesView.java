package dev.sqliteengine.webconsole;

import dev.sqliteengine.api.EngineConfiguration;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.api.PoolStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The Engines page's content: one table row per engine, the running ones with their figures from
 * {@link dev.sqliteengine.api.Engine#status()} and a form per action, then the configurations
 * that give no running engine (rejected, failed, waiting) with the reason. An action's form holds
 * its fields (the backup's file) before its button. A running engine's name links to its own view
 * ({@link ChartsView#detail}). The Web Console wraps it in its header and navigation. Every value
 * is escaped with {@link Html#text}. {@code res/engines.css} keeps each header's text clear of
 * the sort arrow the Web Console's table sorter puts at its right edge, and each form field
 * inside its cell, at any window width the console is used at.
 */
final class EnginesView {

    private final List<EngineAction> actions;
    private final String token;

    /**
     * @param token the page's form token: each action form carries it, and a POST without it is
     *        refused (a page on another site cannot read it, so it cannot post an action)
     */
    EnginesView(List<EngineAction> actions, String token) {
        this.actions = List.copyOf(actions);
        this.token = token;
    }

    /**
     * @param running the running engines' snapshots, in the order to show
     * @param idle the configurations without a running engine, in the order to show
     * @param outcome the last action's result, shown above the table, if any
     */
    String render(List<EngineStatus> running, List<EngineConfiguration> idle, Optional<String> outcome) {
        StringBuilder html = new StringBuilder(2048);
        outcome.ifPresent(text -> html.append("<p class=\"statline\" id=\"outcome\">").append(Html.text(text)).append("</p>\n"));
        html.append("<p class=\"statline\">").append(running.size()).append(running.size() == 1 ? " engine" : " engines")
                .append(" running").append(idle.isEmpty() ? "" : ", " + idle.size() + " configured but not running")
                .append(". Create, edit and delete engines in Configuration, factory configuration “sqlite-engine”.</p>\n");
        html.append("<link rel=\"stylesheet\" href=\"").append(ChartsView.RESOURCES).append("engines.css\">\n");
        html.append("<table id=\"engines\" class=\"tablesorter nicetable\">\n<thead><tr>")
                // soft hyphens (&shy;): a long word may break, with a hyphen, where the window is narrow
                .append("<th>Engine</th><th>State</th><th>Path</th><th>Connec&shy;tions</th><th>Pools</th>")
                .append("<th>Commits</th><th>Roll&shy;backs</th><th>Errors</th><th>Reconfig&shy;urations</th>")
                .append("<th>SQLite</th><th>Note</th><th>Actions</th></tr></thead>\n<tbody>\n");
        for (EngineStatus status : running) {
            row(html, status);
        }
        for (EngineConfiguration configuration : idle) {
            row(html, configuration);
        }
        return html.append("</tbody>\n</table>\n").toString();
    }

    private void row(StringBuilder html, EngineStatus s) {
        html.append("<tr data-engine=\"").append(Html.text(s.name())).append("\">");
        html.append("<td><a href=\"engines?engine=").append(Html.text(URLEncoder.encode(s.name(), StandardCharsets.UTF_8)))
                .append("\" title=\"its charts and health checks\">").append(Html.text(s.name())).append("</a></td>");
        cell(html, s.state() + (s.readOnly() ? " (read-only)" : ""));
        cell(html, s.path());
        cell(html, "total=" + s.totalConnections() + ", active=" + s.activeConnections() + ", idle="
                + s.idleConnections() + ", waiting=" + s.waitingThreads());
        StringBuilder pools = new StringBuilder();
        for (PoolStatus p : s.pools()) {
            pools.append(pools.length() == 0 ? "" : "; ").append(p.pool()).append(' ').append(p.active()).append('/')
                    .append(p.total()).append(" active, max ").append(p.max());
        }
        cell(html, pools);
        cell(html, s.commits());
        cell(html, s.rollbacks());
        cell(html, s.errors());
        cell(html, s.reconfigurations());
        cell(html, s.sqliteVersion());
        cell(html, s.lastRejection().map(r -> "latest update rejected: " + r).orElse(""));
        html.append("<td class=\"actions\">");
        for (EngineAction action : actions) {
            html.append("<form method=\"post\" action=\"engines\">")
                    .append("<input type=\"hidden\" name=\"engine\" value=\"").append(Html.text(s.name())).append("\">")
                    .append("<input type=\"hidden\" name=\"token\" value=\"").append(Html.text(token)).append("\">");
            for (FormField field : action.fields(s)) {
                html.append("<input type=\"text\" name=\"").append(Html.text(field.name()))
                        .append("\" value=\"").append(Html.text(field.value()))
                        .append("\" title=\"").append(Html.text(field.label()))
                        .append("\" aria-label=\"").append(Html.text(field.label())).append("\"> ");
            }
            html
                    .append("<button type=\"submit\" name=\"action\" value=\"").append(Html.text(action.id())).append("\">")
                    .append(Html.text(action.label())).append("</button></form> ");
        }
        html.append("</td></tr>\n");
    }

    private static void row(StringBuilder html, EngineConfiguration c) {
        html.append("<tr data-engine=\"").append(Html.text(c.name())).append("\">");
        cell(html, c.name());
        cell(html, c.state());
        cell(html, c.properties().getOrDefault("path", ""));
        for (int i = 0; i < 7; i++) {
            cell(html, "");
        }
        cell(html, c.rejection().orElse(""));
        html.append("<td class=\"actions\"></td></tr>\n");
    }

    private static void cell(StringBuilder html, Object value) {
        html.append("<td>").append(Html.text(value)).append("</td>");
    }
}
