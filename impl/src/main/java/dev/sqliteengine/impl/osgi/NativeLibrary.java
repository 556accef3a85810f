package dev.sqliteengine.impl.osgi;

import java.io.File;
import org.sqlite.SQLiteJDBCLoader;

/**
 * Loads sqlite-jdbc's native library from the impl bundle's data area instead of the shared
 * temp folder, so a container's engine does not depend on (or litter) {@code java.io.tmpdir}.
 * <p>
 * sqlite-jdbc reads the folder from the system property {@code org.sqlite.tmpdir} once, when it
 * first loads the library (once per sqlite-jdbc class loader). The property is JVM-wide, so it is
 * set only around that load and put back at once. If the library was already loaded (another
 * bundle used sqlite-jdbc first), this changes nothing. The folder must exist before the load,
 * or sqlite-jdbc fails with NativeLibraryNotFoundException.
 */
final class NativeLibrary {

    private static final String TMPDIR = "org.sqlite.tmpdir";

    private NativeLibrary() {}

    static void loadFrom(File folder) {
        if (folder == null) {
            return; // no file system support: sqlite-jdbc uses java.io.tmpdir
        }
        folder.mkdirs();
        synchronized (NativeLibrary.class) {
            String previous = System.getProperty(TMPDIR);
            if (previous == null) {
                System.setProperty(TMPDIR, folder.getAbsolutePath());
            }
            try {
                SQLiteJDBCLoader.initialize();
            } catch (Exception e) {
                throw new IllegalStateException("sqlite-jdbc's native library could not be loaded from " + folder + ": " + e, e);
            } finally {
                if (previous == null) {
                    System.clearProperty(TMPDIR);
                }
            }
        }
    }
}
