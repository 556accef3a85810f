package dev.sqliteengine.impl.operations;

import dev.sqliteengine.api.BackupResult;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.impl.settings.MaintenanceSettings;
import dev.sqliteengine.impl.transactions.EngineCore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled backups of one engine ({@code backup.interval}): each a new
 * {@code <name>-<yyyyMMdd-HHmmss-SSS>.db} in {@code backup.directory} (UTC, so names sort by
 * age), after which only the newest {@code backup.retain} of that pattern are kept. Files of any
 * other name in the folder are never touched.
 */
final class ScheduledBackups {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledBackups.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final EngineCore engine;
    /** The engine's units of work: a backup reads one snapshot in a read unit. */
    private final ConnectionManager units;
    private final Path allowedRoot;
    private final Pattern ours;

    ScheduledBackups(EngineCore engine, ConnectionManager units, Path allowedRoot) {
        this.engine = engine;
        this.units = units;
        this.allowedRoot = allowedRoot;
        this.ours = Pattern.compile(Pattern.quote(engine.name()) + "-\\d{8}-\\d{6}-\\d{3}\\.db");
    }

    /** Takes one backup now and prunes the old ones. */
    BackupResult take() {
        MaintenanceSettings m = engine.settings().maintenance();
        Path folder = m.backupDirectory();
        String stamp = STAMP.format(ZonedDateTime.now(ZoneOffset.UTC));
        BackupResult result = engine.type().upkeep().backup(engine.name(), units,
                folder.resolve(engine.name() + "-" + stamp + ".db"), allowedRoot);
        LOG.info("[{}] scheduled backup written to {} ({} bytes)", engine.name(), result.file(), result.bytes());
        prune(folder, m.backupRetain());
        return result;
    }

    private void prune(Path folder, int retain) {
        List<Path> all;
        try (Stream<Path> files = Files.list(folder)) {
            all = files.filter(p -> ours.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            LOG.warn("[{}] could not list {} to prune old backups: {}", engine.name(), folder, e.toString());
            return;
        }
        for (Path old : all.subList(0, Math.max(0, all.size() - retain))) {
            try {
                Files.deleteIfExists(old);
            } catch (IOException e) {
                LOG.warn("[{}] could not delete the old backup {}: {}", engine.name(), old, e.toString());
            }
        }
    }
}
