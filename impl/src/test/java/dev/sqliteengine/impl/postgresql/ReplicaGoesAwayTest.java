package dev.sqliteengine.impl.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.api.EngineHealth.Status;
import dev.sqliteengine.impl.engine.SqliteEngine;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.PostgresPrimary;
import dev.sqliteengine.postgres.server.PostgresReplica;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A replica stopped under eight threads of read units: no read fails (those in flight on it run
 * again on the primary), the reads run on the primary, health says WARN naming the replica, and
 * once it is started again the reads return to it, without a configuration update.
 */
@ExtendWith(PostgresExtension.class)
class ReplicaGoesAwayTest {

    @Test
    void readsFallBackToThePrimaryWithoutAFailureAndReturnWhenTheReplicaIsBack(PostgresPrimary primary) throws Exception {
        PostgresReplica replica = primary.startReplica();
        try (PostgresDatabase database = primary.createDatabase("goes_away")) {
            replica.awaitCaughtUp();
            String url = replica.jdbcUrl(database.name());
            try (SqliteEngine engine = PgEngines.open(database, "away", "replicas", url, "osgi.connection.max", 8)) {
                engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(id bigint PRIMARY KEY)"));
                ServedBy.awaitReadsOn(engine, replica.port());
                try (Load load = Load.reads(engine, 8)) {
                    load.awaitMore(200);
                    assertThat(load.replicaReads()).isPositive();
                    Connection held = engine.dataSource().getConnection();
                    held.setReadOnly(true);
                    assertThat(ServedBy.of(held).replica()).isTrue();

                    replica.stop();
                    // The caller's own read-only transaction cannot be run again for it: it fails.
                    assertThatThrownBy(() -> ServedBy.of(held)).isInstanceOf(SQLException.class);
                    held.close();
                    long onPrimary = load.primaryReads();
                    await().atMost(Duration.ofMinutes(1)).until(() -> load.primaryReads() > onPrimary + 200);
                    EngineHealth health = engine.health();
                    assertThat(health.status()).isEqualTo(Status.WARN);
                    assertThat(health.finding(EngineHealth.REPLICAS).orElseThrow().message())
                            .startsWith("replica-1 (" + url + ") cannot serve reads since ")
                            .contains("their reads run on the primary");
                    assertThat(ServedBy.aReadUnit(engine).replica()).as("while it is stopped").isFalse();
                    try (Connection next = engine.dataSource().getConnection()) {
                        next.setReadOnly(true);
                        assertThat(ServedBy.of(next).replica()).as("the next read-only transaction").isFalse();
                    }

                    replica.start();
                    ServedBy.awaitReadsOn(engine, replica.port());
                    long onReplica = load.replicaReads();
                    await().atMost(Duration.ofMinutes(1)).until(() -> load.replicaReads() > onReplica + 200);

                    load.stop();
                    assertThat(load.failures()).as("failed reads").isEmpty();
                }
                await().atMost(Duration.ofMinutes(1)).until(() -> engine.health().status() == Status.OK);
                assertThat(engine.health().finding(EngineHealth.REPLICAS).orElseThrow().message())
                        .startsWith("replica-1 serving, ");
            }
        }
    }
}
