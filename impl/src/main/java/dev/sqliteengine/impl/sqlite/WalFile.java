package dev.sqliteengine.impl.sqlite;

import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.WalFigures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The {@code -wal} file next to a database, read from the file system: no connection, no lock, so
 * a status never waits for the engine's work. SQLite's WAL format: a 32-byte header whose bytes
 * 8-11 are the page size (big-endian; 1 means 65536), then frames of a 24-byte header and a page.
 */
final class WalFile {

    private static final int HEADER = 32;
    private static final int FRAME_HEADER = 24;

    private WalFile() {}

    public static WalFigures figures(DatabaseLocation location, CheckpointFigures last) {
        Optional<CheckpointFigures> checkpoint = Optional.ofNullable(last);
        if (location.inMemory()) {
            return new WalFigures(0, 0, checkpoint);
        }
        Path wal = location.walFile();
        try (FileChannel channel = FileChannel.open(wal, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
                // read the whole header, or what there is of it
            }
            long pages = 0;
            if (!header.hasRemaining()) {
                int pageSize = header.getInt(8);
                pageSize = pageSize == 1 ? 65536 : pageSize;
                pages = pageSize > 0 ? Math.max(0, (size - HEADER) / (pageSize + FRAME_HEADER)) : 0;
            }
            return new WalFigures(size, pages, checkpoint);
        } catch (NoSuchFileException e) {
            return new WalFigures(0, 0, checkpoint); // not in WAL mode, or truncated and removed
        } catch (IOException e) {
            return new WalFigures(-1, -1, checkpoint); // unreadable; the status must not fail for it
        }
    }
}
