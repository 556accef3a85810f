package dev.sqliteengine.impl.settings;

import static dev.sqliteengine.api.EngineProperties.*;

import java.nio.file.Path;
import java.util.Map;

/**
 * An engine's maintenance and scheduled-backup settings, checked. Part of {@link EngineSettings};
 * changing them never needs new pools, only a new schedule.
 *
 * @param checkpointInterval ms between passive checkpoints, 0: off
 * @param idleTruncateAfter ms without a commit after which the WAL is truncated, 0: off
 * @param optimizeInterval ms between {@code PRAGMA optimize} runs, 0: off (also on close)
 * @param vacuumInterval ms between incremental vacuum rounds, 0: off
 * @param slice ms one maintenance step holds the writer at most
 * @param backupInterval ms between scheduled backups, 0: off
 * @param backupDirectory where scheduled backups go, or null
 * @param backupRetain scheduled backups kept
 */
public record MaintenanceSettings(long checkpointInterval, long idleTruncateAfter, long optimizeInterval,
        long vacuumInterval, long slice, long backupInterval, Path backupDirectory, int backupRetain) {

    static final java.util.List<String> KEYS = java.util.List.of(MAINTENANCE_CHECKPOINT_INTERVAL,
            MAINTENANCE_IDLE_TRUNCATE_AFTER, MAINTENANCE_OPTIMIZE_INTERVAL, MAINTENANCE_VACUUM_INTERVAL,
            MAINTENANCE_SLICE, BACKUP_INTERVAL, BACKUP_DIRECTORY, BACKUP_RETAIN);

    /** The shortest interval: maintenance is background work, not a busy loop. */
    private static final long LEAST_INTERVAL = 1_000;

    static MaintenanceSettings parse(PropertyReader in) {
        long checkpoint = in.zeroOrBetween(MAINTENANCE_CHECKPOINT_INTERVAL, DEFAULT_MAINTENANCE_CHECKPOINT_INTERVAL,
                LEAST_INTERVAL, 86_400_000L, "milliseconds");
        long idle = in.zeroOrBetween(MAINTENANCE_IDLE_TRUNCATE_AFTER, DEFAULT_MAINTENANCE_IDLE_TRUNCATE_AFTER,
                LEAST_INTERVAL, 86_400_000L, "milliseconds");
        long optimize = in.zeroOrBetween(MAINTENANCE_OPTIMIZE_INTERVAL, DEFAULT_MAINTENANCE_OPTIMIZE_INTERVAL,
                LEAST_INTERVAL, 86_400_000L, "milliseconds");
        long vacuum = in.zeroOrBetween(MAINTENANCE_VACUUM_INTERVAL, DEFAULT_MAINTENANCE_VACUUM_INTERVAL,
                LEAST_INTERVAL, 86_400_000L, "milliseconds");
        long slice = in.number(MAINTENANCE_SLICE, DEFAULT_MAINTENANCE_SLICE, 10, 10_000, "milliseconds from 10 to 10000");
        long backup = in.zeroOrBetween(BACKUP_INTERVAL, 0, LEAST_INTERVAL, 604_800_000L, "milliseconds");
        String folder = in.string(BACKUP_DIRECTORY, null);
        Path directory = null;
        if (folder != null && !folder.isBlank()) {
            try {
                directory = Path.of(folder.trim());
            } catch (java.nio.file.InvalidPathException e) {
                throw in.invalid(BACKUP_DIRECTORY, folder, "an absolute folder path");
            }
            if (!directory.isAbsolute()) {
                throw in.invalid(BACKUP_DIRECTORY, folder, "an absolute folder path");
            }
            directory = directory.normalize();
        }
        if (backup > 0 && directory == null) {
            throw in.invalid(BACKUP_DIRECTORY, folder, "an absolute folder path: " + BACKUP_INTERVAL + "=" + backup
                    + " schedules backups, which need a folder to go to");
        }
        int retain = (int) in.number(BACKUP_RETAIN, DEFAULT_BACKUP_RETAIN, 1, 10_000, "an integer from 1 to 10000");
        return new MaintenanceSettings(checkpoint, idle, optimize, vacuum, slice, backup, directory, retain);
    }

    void putInto(Map<String, Object> out) {
        out.put(MAINTENANCE_CHECKPOINT_INTERVAL, checkpointInterval);
        out.put(MAINTENANCE_IDLE_TRUNCATE_AFTER, idleTruncateAfter);
        out.put(MAINTENANCE_OPTIMIZE_INTERVAL, optimizeInterval);
        out.put(MAINTENANCE_VACUUM_INTERVAL, vacuumInterval);
        out.put(MAINTENANCE_SLICE, slice);
        out.put(BACKUP_INTERVAL, backupInterval);
        out.put(BACKUP_DIRECTORY, backupDirectory == null ? "" : backupDirectory.toString());
        out.put(BACKUP_RETAIN, backupRetain);
    }
}
