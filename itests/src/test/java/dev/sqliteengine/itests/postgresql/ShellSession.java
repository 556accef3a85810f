package dev.sqliteengine.itests.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;

/**
 * A Gogo session through the {@link CommandProcessor}, as a shell user has one, that keeps what
 * each command printed. The engine commands print what a person reads and return nothing (Karaf's
 * non-interactive shells show nothing a command only returns), and this checks that they do.
 */
final class ShellSession implements AutoCloseable {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final CommandSession session;

    ShellSession(CommandProcessor processor) {
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
    }

    /**
     * Runs a command as {@code bin/client} would.
     *
     * @return what it printed, without the last line break
     * @throws Exception what the command threw, as a failing shell command does
     */
    String run(String command) throws Exception {
        printed.reset();
        Object returned = session.execute(command);
        assertThat(returned).as("what %s returns (an interactive shell would print it a second time)", command).isNull();
        return printed.toString(StandardCharsets.UTF_8).stripTrailing();
    }

    @Override
    public void close() {
        session.close();
    }
}
