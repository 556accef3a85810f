package dev.sqliteengine.launcher;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Runs Gogo commands without a console, through the framework's {@code CommandProcessor}.
 * <p>
 * The launcher lives outside the framework and must not share Gogo's classes with it (the
 * bundle would then wire to a second copy), so it calls the processor reflectively, through
 * methods whose signatures hold only {@code java.*} types.
 */
final class CommandRunner {

    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final long WAIT_MILLIS = TimeUnit.SECONDS.toMillis(30);

    private final BundleContext context;
    private final PrintStream out;
    private final PrintStream err;
    private final List<ServiceTracker<Object, Object>> trackers = new ArrayList<>();

    CommandRunner(BundleContext context, PrintStream out, PrintStream err) {
        this.context = context;
        this.out = out;
        this.err = err;
    }

    /** @return 0 when every command succeeded, 1 at the first that failed */
    int run(List<String> commands) throws Exception {
        Object processor = await("(objectClass=" + PROCESSOR + ")", 1);
        await("(osgi.command.scope=engine)", 1);
        Class<?> type = processor.getClass().getClassLoader().loadClass(PROCESSOR);
        Method createSession = type.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class);
        Object session = createSession.invoke(processor, new ByteArrayInputStream(new byte[0]), out, err);
        Class<?> sessionType = type.getClassLoader().loadClass("org.apache.felix.service.command.CommandSession");
        Method execute = sessionType.getMethod("execute", CharSequence.class);
        Method format = sessionType.getMethod("format", Object.class, int.class);
        try {
            for (String command : commands) {
                out.println("g! " + command);
                try {
                    Object result = execute.invoke(session, command);
                    if (result != null) {
                        out.println(format.invoke(session, result, 0)); // Converter.INSPECT
                    }
                } catch (InvocationTargetException e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    err.println("error: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
                    return 1;
                }
                out.flush();
            }
            return 0;
        } finally {
            sessionType.getMethod("close").invoke(session);
            trackers.forEach(ServiceTracker::close);
        }
    }

    private Object await(String filter, int count) throws InvalidSyntaxException, InterruptedException {
        ServiceTracker<Object, Object> tracker = ServiceWait.await(context, filter, count, WAIT_MILLIS);
        trackers.add(tracker);
        return tracker.size() >= count ? tracker.getService() : null;
    }
}
