package dev.sqliteengine.webconsole;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineConfiguration;
import dev.sqliteengine.api.EngineConfigurations;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineStatus;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The Web Console's "Engines" page ({@code /system/console/engines}): the Web Console finds this
 * servlet service by its {@code felix.webconsole.label}, puts it behind its own authentication
 * and wraps what {@link #doGet} writes in its page. Below the page, also behind that
 * authentication: {@code engines?engine=NAME}, one engine's charts and health checks
 * ({@link ChartsView}); {@code engines/history.json}, the charts' data ({@link HistoryJson}), which
 * the Web Console sends unwrapped because its name has an extension; and {@code engines/res/...},
 * the scripts and styles in this bundle's {@code res/} folder, which the Web Console serves itself.
 * <p>
 * An action is a POST ({@code engine}, {@code action}, {@code token}, and the action's own
 * fields, such as the backup's {@code target}) answered with a redirect to
 * the page, which shows the outcome (POST, redirect, GET: reloading the page repeats nothing). The
 * token is drawn once per component instance and rendered into each form; a POST without it is
 * refused, so another site that the operator's browser visits cannot post an action with the
 * browser's cached credentials.
 * <p>
 * The engines arrive and leave while the page is registered: both references are dynamic, and
 * SCR replaces the volatile fields, so each request reads one consistent list.
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=" + EnginesPage.LABEL,
        "felix.webconsole.title=Engines",
        "felix.webconsole.category=sqlite-engine" })
public final class EnginesPage extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String LABEL = "engines";
    /** The charts' data, below the page: {@code /system/console/engines/history.json}. */
    static final String HISTORY = "history.json";
    /** The actions in each engine's row; immutable, and each action is stateless. */
    static final List<EngineAction> ACTIONS = List.of(new Checkpoint(), new Backup(Clock.systemUTC()));

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<Engine> engines;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EngineConfigurations configurations;

    private final String token;
    private final transient EnginesView view;

    public EnginesPage() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.token = HexFormat.of().formatHex(random);
        this.view = new EnginesView(ACTIONS, token);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<Engine> current = engines.stream().sorted(Comparator.comparing(Engine::name)).toList();
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        String engine = request.getParameter("engine");
        if (request.getRequestURI().endsWith("/" + HISTORY)) {
            // no extension of the page's own: the Web Console passes it through without its frame
            response.setContentType("application/json");
            response.getWriter().write(history(current, engine, HistoryJson.Series.of(request.getParameter("series"))));
            return;
        }
        response.setContentType("text/html");
        if (engine != null) {
            Optional<Engine> shown = current.stream().filter(e -> e.name().equals(engine)).findFirst();
            response.getWriter().write(shown.map(e -> ChartsView.detail(e.status(), e.health()))
                    .orElseGet(() -> "<p class=\"statline\" id=\"outcome\">" + Html.text("[" + engine + "] no running engine of that name")
                            + "</p><p><a href=\"engines\">All engines</a></p>"));
            return;
        }
        List<EngineStatus> running = current.stream().map(Engine::status).toList();
        EngineConfigurations known = configurations;
        List<EngineConfiguration> idle = known == null ? List.of()
                : known.list().stream().filter(c -> c.state() != EngineConfiguration.State.RUNNING)
                        .sorted(Comparator.comparing(EngineConfiguration::name)).toList();
        response.getWriter().write(view.render(running, idle, Optional.ofNullable(request.getParameter("outcome"))));
        response.getWriter().write(ChartsView.overview());
    }

    /**
     * @param engine the one engine to show, with its health; every engine's history when null
     * @return the charts' data, {@link HistoryJson}
     */
    private static String history(List<Engine> running, String engine, HistoryJson.Series series) {
        List<HistoryJson.Entry> entries = running.stream().filter(e -> engine == null || e.name().equals(engine))
                .map(e -> new HistoryJson.Entry(e.history(), engine == null ? Optional.empty() : Optional.of(e.health())))
                .toList();
        return HistoryJson.render(series, entries);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String given = request.getParameter("token");
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "the form token is missing or stale: reload the Engines page");
            return;
        }
        String actionId = request.getParameter("action");
        Optional<EngineAction> action = ACTIONS.stream().filter(a -> a.id().equals(actionId)).findFirst();
        if (action.isEmpty()) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "unknown action '" + actionId + "'; allowed: "
                    + ACTIONS.stream().map(EngineAction::id).toList());
            return;
        }
        String name = request.getParameter("engine");
        String outcome = engines.stream().filter(e -> e.name().equals(name)).findFirst()
                .map(engine -> run(action.get(), engine, form(request)))
                .orElse("[" + name + "] no running engine of that name");
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getRequestURI() + "?outcome=" + URLEncoder.encode(outcome, StandardCharsets.UTF_8));
    }

    /** @return each request parameter's first value, by name */
    private static Map<String, String> form(HttpServletRequest request) {
        Map<String, String> form = new HashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (values.length > 0) {
                form.put(name, values[0]);
            }
        });
        return form;
    }

    private static String run(EngineAction action, Engine engine, Map<String, String> form) {
        try {
            return action.run(engine, form);
        } catch (EngineException e) {
            return e.getMessage();
        }
    }
}
