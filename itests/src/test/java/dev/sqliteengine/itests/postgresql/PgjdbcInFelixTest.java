package dev.sqliteengine.itests.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.PostgresPrimary;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * pgjdbc as a bundle in Felix (postgresql.bndrun), the way the PostgreSQL engine type will use it:
 * its DataSource handed to HikariCP with {@code setDataSource}, as the SQLite engine hands over
 * sqlite-jdbc's. The servers start from inside the framework, through the postgres-server bundle.
 */
@ExtendWith(PostgresExtension.class)
class PgjdbcInFelixTest {

    @InjectBundleContext
    BundleContext context;

    @Test
    void pgjdbcIsAnActiveBundleThatNeedsNoOtherBundle() {
        Bundle pgjdbc = bundle("org.postgresql.jdbc");

        assertThat(pgjdbc.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(pgjdbc.getVersion()).isEqualTo(new Version(42, 7, 14));
        List<String> fromTheSystemBundle = pgjdbc.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)
                .stream()
                .filter(wire -> wire.getProvider().getBundle().getBundleId() == 0)
                .map(PgjdbcInFelixTest::packageName)
                .toList();
        // Felix exports all of them from the JDK. Its other imports are optional and stay unwired
        // here: JNA and waffle (Windows SSPI), the Checker Framework's annotations, and
        // org.osgi.service.jdbc (see withoutTheOsgiJdbcApiPgjdbcRegistersNoDataSourceFactory).
        assertThat(fromTheSystemBundle).containsExactlyInAnyOrder(
                "javax.sql", "javax.transaction.xa", "javax.naming", "javax.naming.ldap", "javax.naming.spi",
                "javax.crypto", "javax.crypto.spec", "javax.net", "javax.net.ssl",
                "javax.security.auth", "javax.security.auth.callback", "javax.security.auth.login",
                "javax.security.auth.x500", "javax.security.sasl", "org.ietf.jgss",
                "javax.xml.parsers", "javax.xml.stream", "javax.xml.transform", "javax.xml.transform.dom",
                "javax.xml.transform.sax", "javax.xml.transform.stax", "javax.xml.transform.stream",
                "org.w3c.dom", "org.xml.sax", "org.xml.sax.helpers", "org.osgi.framework");
        assertThat(pgjdbc.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE))
                .allSatisfy(wire -> assertThat(wire.getProvider().getBundle().getBundleId()).isZero());
    }

    @Test
    void hikariCpPoolsPgjdbcsDataSourceAndARoundTripWorks(PostgresDatabase database) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setDataSource(dataSource(database, database.password()));
        config.setPoolName("pgjdbc-in-felix");
        config.setMaximumPoolSize(4);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE greeting (id int PRIMARY KEY, text text)");
                statement.execute("INSERT INTO greeting VALUES (1, 'hello from Felix')");
            }
            try (Connection connection = pool.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT text, current_user, version() FROM greeting")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("hello from Felix");
                assertThat(row.getString(2)).isEqualTo(database.user());
                assertThat(row.getString(3)).startsWith("PostgreSQL ");
                assertThat(connection.isWrapperFor(PGConnection.class)).isTrue();
                assertThat(FrameworkUtil.getBundle(connection.unwrap(PGConnection.class).getClass()).getSymbolicName())
                        .isEqualTo("org.postgresql.jdbc");
            }
        }
    }

    @Test
    void aWrongPasswordIsRefusedWithSqlState28P01(PostgresDatabase database) {
        assertThatThrownBy(() -> dataSource(database, "not-" + database.password()).getConnection().close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void theTestServerRunsFromInsideTheFramework(PostgresPrimary primary) {
        assertThat(FrameworkUtil.getBundle(PostgresPrimary.class).getSymbolicName()).isEqualTo("dev.sqliteengine.postgres.server");
        assertThat(primary.isRunning()).isTrue();
        assertThat(primary.postmasterProcess()).isPresent();
    }

    @Test
    void withoutTheOsgiJdbcApiPgjdbcRegistersNoDataSourceFactory() throws Exception {
        // Its activator registers org.osgi.service.jdbc.DataSourceFactory only when that optional
        // import is wired; this run has no bundle that exports it.
        assertThat(context.getServiceReferences("org.osgi.service.jdbc.DataSourceFactory", null)).isNull();
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles())
                .filter(bundle -> bundle.getSymbolicName().equals(symbolicName))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    private static String packageName(BundleWire wire) {
        return (String) wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
    }

    private static PGSimpleDataSource dataSource(PostgresDatabase database, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {database.host()});
        dataSource.setPortNumbers(new int[] {database.port()});
        dataSource.setDatabaseName(database.name());
        dataSource.setUser(database.user());
        dataSource.setPassword(password);
        return dataSource;
    }
}
