package dev.sqliteengine.postgres.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A PostgreSQL primary for tests: {@code initdb} into a fresh folder, then {@code postgres} on a
 * free port of 127.0.0.1.
 * <p>
 * The superuser ({@value #DEFAULT_SUPERUSER} unless the builder names another) logs in over TCP
 * with a password ({@code scram-sha-256}), generated unless given. The Unix socket, in the
 * server's own folder, trusts every connection: only the account that runs PostgreSQL reaches it,
 * and replicas replicate through it. {@link TestSettings} lists the settings and why.
 *
 * <pre>
 * try (PostgresPrimary primary = PostgresPrimary.launch()) {
 *     PostgresDatabase orders = primary.createDatabase("orders");
 *     DataSource dataSource = orders.dataSource();
 *     ...
 * }
 * </pre>
 */
public final class PostgresPrimary extends PostgresServer {

    /** The superuser's name unless {@link Builder#superuser} names another. */
    public static final String DEFAULT_SUPERUSER = "postgres";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String superuser;
    private volatile String superuserPassword;
    private final List<PostgresReplica> replicas = new CopyOnWriteArrayList<>();
    /** Numbers the replicas' replication slots; under the monitor. */
    private int replicasStarted;

    private PostgresPrimary(Binaries binaries, BaseFolder base, ServerFolder folder, Startup.Launched launched,
            String superuser, String superuserPassword) {
        super("primary", binaries, base, folder, launched);
        this.superuser = superuser;
        this.superuserPassword = superuserPassword;
    }

    /** @return a running primary with the default superuser and a generated password */
    public static PostgresPrimary launch() {
        return builder().launch();
    }

    /** @return a builder for a primary with other settings */
    public static Builder builder() {
        return new Builder();
    }

    /** What a primary starts with. */
    public static final class Builder {
        private String superuser = DEFAULT_SUPERUSER;
        private String password;
        private Path binaries;
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {}

        /** @param name the superuser's name: a-z, 0-9 and '_' */
        public Builder superuser(String name) {
            this.superuser = SqlText.name("superuser name", name);
            return this;
        }

        /** @param password the superuser's password instead of a generated one */
        public Builder password(String password) {
            SqlText.password(password);
            this.password = password;
            return this;
        }

        /** @param folder the folder with initdb, postgres and pg_basebackup, instead of the one found */
        public Builder binaries(Path folder) {
            this.binaries = folder;
            return this;
        }

        /**
         * @param name a setting of postgresql.conf
         * @param value its value, written quoted; wins over the test settings
         */
        public Builder setting(String name, String value) {
            TestSettings.check(name, value);
            settings.put(name, value);
            return this;
        }

        /** @return the running primary */
        public PostgresPrimary launch() {
            Binaries programs = binaries == null ? Binaries.locate() : Binaries.in(binaries);
            ServerAccount account = ServerAccount.forThisProcess();
            BaseFolder base = BaseFolder.prepare(account);
            base.sweep();
            String superuserPassword = password == null ? generatePassword() : password;
            long began = System.nanoTime();
            ServerFolder folder = base.newServerFolder("primary");
            try {
                Path passwordFile = folder.writePrivate("superuser.password", superuserPassword + "\n");
                ProgramRun.run(account.command(List.of(programs.program("initdb").toString(),
                        "-D", folder.data().toString(),
                        "-U", superuser,
                        "--pwfile=" + passwordFile,
                        "--auth-local=trust",
                        "--auth-host=scram-sha-256",
                        "--encoding=UTF8",
                        "--locale=C")), folder.setupLog(), START_TIMEOUT, "initdb of a PostgreSQL primary");
                Files.delete(passwordFile);
                folder.append(folder.data().resolve("postgresql.conf"), TestSettings.lines(settings));
                Startup.Launched launched = Startup.onFreePort("primary", programs, account, folder);
                PostgresPrimary primary = new PostgresPrimary(programs, base, folder, launched, superuser, superuserPassword);
                primary.logStarted(began);
                return primary;
            } catch (IOException e) {
                folder.delete();
                throw new PostgresServerException("Cannot prepare a PostgreSQL primary in " + folder.path() + ": " + e, e);
            } catch (RuntimeException e) {
                folder.delete();
                throw e;
            }
        }
    }

    @Override
    public String superuser() {
        return superuser;
    }

    @Override
    public String superuserPassword() {
        return superuserPassword;
    }

    /**
     * Creates a login role and a database of the same name that it owns, the role with a
     * generated password.
     *
     * @param name a-z, 0-9 and '_', at most 63 characters
     */
    public PostgresDatabase createDatabase(String name) {
        SqlText.name("database name", name);
        String password = generatePassword();
        execute("postgres", "create the database " + name,
                "CREATE ROLE " + name + " LOGIN PASSWORD " + SqlText.password(password),
                "CREATE DATABASE " + name + " OWNER " + name);
        return new PostgresDatabase(this, name, password);
    }

    /** Creates a role that can log in with the password. */
    public void createRole(String name, String password) {
        SqlText.name("role name", name);
        execute("postgres", "create the role " + name, "CREATE ROLE " + name + " LOGIN PASSWORD " + SqlText.password(password));
    }

    /**
     * Changes a role's password on the server ({@code ALTER ROLE}), the superuser's included.
     * Sessions already logged in stay; new logins need the new password.
     */
    public void changePassword(String role, String newPassword) {
        SqlText.name("role name", role);
        execute("postgres", "change the password of " + role, "ALTER ROLE " + role + " PASSWORD " + SqlText.password(newPassword));
        if (role.equals(superuser)) {
            superuserPassword = newPassword;
        }
    }

    /** @return the primary's current WAL write position ({@code pg_current_wal_lsn()}), e.g. {@code 0/3000148} */
    public String currentWalLsn() {
        return queryText("postgres", "SELECT pg_current_wal_lsn()::text");
    }

    /**
     * Starts a streaming replica: {@code pg_basebackup -R -X stream} through a replication slot of
     * its own (the primary keeps the WAL a stopped replica still needs), then {@code postgres} on
     * another free port. The replica is a hot standby: it serves reads.
     */
    public synchronized PostgresReplica startReplica() {
        if (closing() || !isRunning()) {
            throw new IllegalStateException(this + " cannot start a replica: it is not running");
        }
        replicasStarted++;
        PostgresReplica replica = PostgresReplica.start(this, "replica_" + replicasStarted);
        replicas.add(replica);
        return replica;
    }

    /** Replicas go first: they would otherwise retry their connection to a primary that is gone. */
    @Override
    void closeDependents() {
        for (PostgresReplica replica : replicas) {
            replica.close();
        }
    }

    /** A replica closed: the primary drops its slot (unless the primary is closing too) and forgets it. */
    void replicaClosed(PostgresReplica replica, String slot) {
        replicas.remove(replica);
        if (!closing() && isRunning()) {
            dropReplicationSlot(slot);
        }
    }

    /** Drops a slot once its walsender has noticed that its replica is gone. */
    private void dropReplicationSlot(String slot) {
        String active = "SELECT active::text FROM pg_replication_slots WHERE slot_name = ?";
        Poll.until(STOP_TIMEOUT, () -> !"true".equals(queryText("postgres", active, slot)),
                () -> this + " could not drop the replication slot " + slot + ": it stayed active after its replica stopped");
        queryText("postgres", "SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots"
                + " WHERE slot_name = ?", slot);
    }

    private static String generatePassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
