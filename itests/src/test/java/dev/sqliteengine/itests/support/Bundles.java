package dev.sqliteengine.itests.support;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** Finding a bundle of the framework and its jar, to update it the way a container redeploys it. */
public final class Bundles {

    private Bundles() {}

    /** @return the installed bundle with this symbolic name */
    public static Bundle named(BundleContext context, String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    /** @return the bundle's jar, read again from where it was installed */
    public static InputStream jar(Bundle bundle) throws Exception {
        String location = bundle.getLocation();
        if (location.startsWith("reference:")) {
            location = location.substring("reference:".length());
        }
        try {
            return new URL(location).openStream();
        } catch (java.net.MalformedURLException e) {
            return Files.newInputStream(Path.of(location));
        }
    }
}
