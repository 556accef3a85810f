package dev.sqliteengine.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;

/** The container the other specifications run in. */
class FrameworkTest {

    @InjectBundleContext
    BundleContext context;

    @Test
    void the_engine_bundles_scr_config_admin_and_metatype_are_active() {
        Map<String, Bundle> bundles = Arrays.stream(context.getBundles())
                .collect(Collectors.toMap(Bundle::getSymbolicName, Function.identity(), (a, b) -> a));

        String[] expected = {"dev.sqliteengine.api", "dev.sqliteengine.impl", "dev.sqliteengine.config",
                "org.apache.felix.scr", "org.apache.felix.configadmin", "org.apache.felix.metatype",
                "com.zaxxer.HikariCP", "org.hdrhistogram.HdrHistogram", "org.xerial.sqlite-jdbc"};
        assertThat(bundles).containsKeys(expected);
        for (String bsn : expected) {
            assertThat(bundles.get(bsn).getState()).as(bsn).isEqualTo(Bundle.ACTIVE);
        }
    }
}
