package dev.sqliteengine.webconsole;

import dev.sqliteengine.api.BackupResult;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.EngineStatus;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * An online backup, {@link Engine#backup(Path)}, into the file the operator names in the form.
 * <p>
 * Where the file goes: the form's text field, prefilled when the page is shown with
 * {@code <backup.directory>/<name>-<yyyyMMdd-HHmmss-SSS>-manual.db} (UTC) when the engine has a
 * {@code backup.directory}, else the same name in a {@code backups} folder beside the database
 * file; empty for {@code :memory:}. The {@code -manual} suffix keeps the file out of the scheduled
 * backups' pattern, so {@code backup.retain} never deletes a backup someone took by hand. The path
 * must be absolute: a web form has no working folder that a relative path could honestly mean.
 * The engine refuses an existing file and one outside the allowed root, with its own message.
 */
final class Backup implements EngineAction {

    /** The form field with the backup file. */
    static final String TARGET = "target";
    /** The folder beside the database file that takes backups when no {@code backup.directory} is set. */
    static final String BESIDE = "backups";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final Clock clock;

    /** @param clock the time the suggested file name carries */
    Backup(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String id() {
        return "backup";
    }

    @Override
    public String label() {
        return "Backup";
    }

    @Override
    public List<FormField> fields(EngineStatus engine) {
        return List.of(new FormField(TARGET, "Backup file: an absolute path to a new file", suggestedFile(engine)));
    }

    /** @return the prefilled backup file for this engine now, or "" when there is no folder to suggest */
    String suggestedFile(EngineStatus engine) {
        String name = engine.name() + "-" + STAMP.format(clock.instant()) + "-manual.db";
        Object configured = engine.settings().get(EngineProperties.BACKUP_DIRECTORY);
        if (configured instanceof String folder && !folder.isBlank()) {
            return Path.of(folder).resolve(name).toString();
        }
        if (EngineProperties.MEMORY_PATH.equals(engine.path())) {
            return "";
        }
        Path folder = Path.of(engine.path()).getParent();
        return folder == null ? "" : folder.resolve(BESIDE).resolve(name).toString();
    }

    @Override
    public String run(Engine engine, Map<String, String> form) {
        BackupResult result = engine.backup(target(engine.name(), form.get(TARGET)));
        return "[" + engine.name() + "] backed up to " + result.file() + ": " + result.bytes() + " bytes, "
                + result.pages() + " pages, integrity_check ok; started " + result.started() + ", took "
                + result.took().toMillis() + " ms";
    }

    private static Path target(String engine, String typed) {
        if (typed == null || typed.isBlank()) {
            throw new EngineException(engine, "a backup needs a file: type an absolute path to a new file into the field");
        }
        Path file;
        try {
            file = Path.of(typed.strip());
        } catch (InvalidPathException e) {
            throw new EngineException(engine, "the backup file '" + typed + "' is no path: " + e.getReason());
        }
        if (!file.isAbsolute()) {
            throw new EngineException(engine, "the backup file must be an absolute path, not '" + typed + "'");
        }
        return file.normalize();
    }
}
