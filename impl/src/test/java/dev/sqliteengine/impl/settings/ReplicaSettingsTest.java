package dev.sqliteengine.impl.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sqliteengine.api.ConfigurationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code replicas}, {@code replicas.readYourWrites} and {@code replicas.readYourWritesTimeout}:
 * the forms a list of URLs comes in (a Metatype list, a {@code .cfg} string), and every refusal
 * naming the property, the value and what is allowed, never a password.
 */
class ReplicaSettingsTest {

    private static final String PRIMARY = "jdbc:postgresql://db1:5432/orders";
    private static final String REPLICA_1 = "jdbc:postgresql://db2:5432/orders";
    private static final String REPLICA_2 = "jdbc:postgresql://db3:5432,db4:5432/orders?targetServerType=any";

    private static Map<String, Object> postgresql(Object... more) {
        Map<String, Object> map = new HashMap<>(Map.of("type", "postgresql", "url", PRIMARY, "user", "app",
                "password", "S3cr3t"));
        for (int i = 0; i < more.length; i += 2) {
            map.put((String) more[i], more[i + 1]);
        }
        return map;
    }

    private static ReplicaSettings replicas(Map<String, Object> config) {
        return EngineSettings.parse(config, "main", null).replicas();
    }

    private static ConfigurationException refused(Map<String, Object> config) {
        ConfigurationException e = catchThrowableOfType(() -> EngineSettings.parse(config, "main", null),
                ConfigurationException.class);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.getMessage()).startsWith("[main] ").doesNotContain("S3cr3t");
        return e;
    }

    @Test
    void withoutReplicasEveryReadRunsOnThePrimaryAndCommitsAreNotFollowed() {
        ReplicaSettings r = replicas(postgresql());

        assertThat(r.urls()).isEmpty();
        assertThat(r.any()).isFalse();
        assertThat(r.readYourWrites()).isEqualTo(ReadYourWrites.PRIMARY);
        assertThat(r.readYourWritesTimeout()).isEqualTo(500);
        assertThat(r.followsCommits()).isFalse();
        assertThat(EngineSettings.parse(Map.of("path", ":memory:"), "main", null).replicas()).isEqualTo(ReplicaSettings.NONE);
    }

    @Test
    void replicasComeAsAListOrAsOneStringSeparatedBySpacesOrCommasAndKeepTheirOrder() {
        assertThat(replicas(postgresql("replicas", new String[] {REPLICA_1, " ", REPLICA_2})).urls())
                .containsExactly(REPLICA_1, REPLICA_2);
        assertThat(replicas(postgresql("replicas", List.of(REPLICA_2, REPLICA_1))).urls())
                .containsExactly(REPLICA_2, REPLICA_1);
        // a comma inside a URL (several hosts) is part of it; one before the next URL separates
        assertThat(replicas(postgresql("replicas", REPLICA_1 + ", " + REPLICA_2)).urls())
                .containsExactly(REPLICA_1, REPLICA_2);
        assertThat(replicas(postgresql("replicas", "  " + REPLICA_2 + "\n" + REPLICA_1 + " ")).urls())
                .containsExactly(REPLICA_2, REPLICA_1);
        assertThat(replicas(postgresql("replicas", "")).any()).isFalse();
    }

    @Test
    void readYourWritesIsAModeAndATimeoutAndFollowsCommitsUnlessOff() {
        ReplicaSettings waits = replicas(postgresql("replicas", REPLICA_1, "replicas.readYourWrites", "WAIT",
                "replicas.readYourWritesTimeout", "250"));
        ReplicaSettings off = replicas(postgresql("replicas", REPLICA_1, "replicas.readYourWrites", "off"));

        assertThat(waits.readYourWrites()).isEqualTo(ReadYourWrites.WAIT);
        assertThat(waits.readYourWritesTimeout()).isEqualTo(250);
        assertThat(waits.followsCommits()).isTrue();
        assertThat(off.followsCommits()).isFalse();
    }

    @Test
    void statusShowsTheReplicasAndHowReadsFollowWrites() {
        Map<String, Object> shown = EngineSettings.parse(postgresql("replicas", new String[] {REPLICA_1, REPLICA_2},
                "replicas.readYourWrites", "wait"), "main", null).asProperties();

        assertThat(shown).containsEntry("replicas", REPLICA_1 + " " + REPLICA_2)
                .containsEntry("replicas.readYourWrites", "wait").containsEntry("replicas.readYourWritesTimeout", 500L);
    }

    @Test
    void onlyTheReplicasUrlsNeedNewConnections() {
        EngineSettings one = EngineSettings.parse(postgresql("replicas", REPLICA_1), "main", null);

        assertThat(one.needsNewPool(EngineSettings.parse(postgresql("replicas", REPLICA_1, "replicas.readYourWrites",
                "off", "replicas.readYourWritesTimeout", 10), "main", null))).isFalse();
        assertThat(one.needsNewPool(EngineSettings.parse(postgresql("replicas", REPLICA_2), "main", null))).isTrue();
        assertThat(one.needsNewPool(EngineSettings.parse(postgresql(), "main", null))).isTrue();
    }

    @Test
    void aReplicaUrlThatIsNotPostgresqlsIsRefused() {
        ConfigurationException e = refused(postgresql("replicas", REPLICA_1 + " jdbc:mysql://db2/orders"));

        assertThat(e.property()).isEqualTo("replicas");
        assertThat(e.getMessage()).isEqualTo("[main] replicas=jdbc:mysql://db2/orders is invalid: JDBC URLs of streaming"
                + " replicas of the server, jdbc:postgresql://host[:port]/database, separated by spaces or commas");
    }

    @Test
    void aPasswordInAReplicaUrlIsRefusedAndMasked() {
        ConfigurationException e = refused(postgresql("replicas", REPLICA_1 + "?password=S3cr3t"));

        assertThat(e.property()).isEqualTo("replicas");
        assertThat(e.getMessage()).contains("?password=********").contains("a URL without a password");
    }

    @Test
    void aReplicaGivenTwiceOrThePrimaryItselfIsRefused() {
        ConfigurationException twice = refused(postgresql("replicas", new String[] {REPLICA_1, REPLICA_1}));
        ConfigurationException primary = refused(postgresql("replicas", PRIMARY));

        assertThat(twice.getMessage()).isEqualTo("[main] replicas=" + REPLICA_1 + " is invalid: JDBC URLs of streaming"
                + " replicas of the server, jdbc:postgresql://host[:port]/database, separated by spaces or commas,"
                + " each once: this one is given twice");
        assertThat(primary.getMessage()).endsWith(": this is the server's own URL (url), where writes go; name its"
                + " replicas");
    }

    @Test
    void moreThanSixteenReplicasAreRefused() {
        String[] many = new String[17];
        for (int i = 0; i < many.length; i++) {
            many[i] = "jdbc:postgresql://replica" + i + "/orders";
        }

        ConfigurationException e = refused(postgresql("replicas", many));

        assertThat(e.getMessage()).startsWith("[main] replicas=17 URLs is invalid: at most 16 JDBC URLs");
    }

    @Test
    void anUnknownModeOrATimeoutOutOfRangeIsRefusedSayingWhatIsAllowed() {
        ConfigurationException mode = refused(postgresql("replicas", REPLICA_1, "replicas.readYourWrites", "always"));
        ConfigurationException timeout = refused(postgresql("replicas", REPLICA_1, "replicas.readYourWritesTimeout", 0));
        ConfigurationException typo = refused(postgresql("replicas.readYourWrite", "wait"));

        assertThat(mode.getMessage()).isEqualTo("[main] replicas.readYourWrites=always is invalid: primary (read the"
                + " primary while the replicas are behind the engine's last commit), wait (wait for a replica to replay"
                + " it) or off");
        assertThat(timeout.getMessage()).isEqualTo("[main] replicas.readYourWritesTimeout=0 (Integer) is invalid:"
                + " milliseconds from 1 to 60000");
        assertThat(typo.property()).isEqualTo("replicas.readYourWrite");
        assertThat(typo.getMessage()).contains("no such property");
    }

    @Test
    void onSqliteTheReplicaPropertiesAreIgnoredAndNamedAndAnEmptyFormListIsNotSet() {
        EngineSettings set = EngineSettings.parse(Map.of("path", ":memory:", "replicas", REPLICA_1,
                "replicas.readYourWrites", "wait"), "main", null);
        EngineSettings formDefaults = EngineSettings.parse(Map.of("path", ":memory:", "replicas", new String[] {""}),
                "main", null);

        assertThat(set.ignored()).containsExactly("replicas", "replicas.readYourWrites");
        assertThat(set.asProperties()).doesNotContainKeys("replicas", "replicas.readYourWrites");
        assertThat(formDefaults.ignored()).isEmpty();
    }
}
