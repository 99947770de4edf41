// Minimal launcher for a real Neo4j Community 5.26 server on this machine,
// without Docker: it runs the embedded DBMS (DatabaseManagementServiceBuilder)
// with the Bolt connector open on 127.0.0.1, so relmap's tests can talk to it
// with the ordinary Python driver exactly as they would to a packaged server.
//
// Started by scripts/neo4j-local; compiled there against the jars that
// scripts/neo4j/pom.xml pulls from Maven Central. Kept in the default package
// so it runs as `java -cp 'lib/*:classes' Launcher ...`.
//
// Arguments (all optional):
//   --home DIR        Neo4j home: data/ and logs/ go below it   (default ./neo4j-home)
//   --port N          Bolt port on 127.0.0.1                     (default 7687)
//   --import-dir DIR  root for LOAD CSV FROM 'file:///...'       (default HOME/import)
//   --pagecache SIZE  page cache, e.g. 256m                      (default 256m)
//   --pid-file FILE   write this JVM's pid there
// The password of user `neo4j` comes from the environment variable
// RELMAP_NEO4J_PASSWORD (default relmap-test-password), never from argv, so it
// does not show up in `ps`.

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

public final class Launcher {
    private static final String HOST = "127.0.0.1";
    private static final String USER = "neo4j";

    public static void main(String[] args) throws Exception {
        Path home = Path.of("neo4j-home");
        int port = 7687;
        Path importDir = null;
        String pagecache = "256m";
        Path pidFile = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                usage("missing value for " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--home" -> home = Path.of(v);
                case "--port" -> port = Integer.parseInt(v);
                case "--import-dir" -> importDir = Path.of(v);
                case "--pagecache" -> pagecache = v;
                case "--pid-file" -> pidFile = Path.of(v);
                default -> usage("unknown argument " + a);
            }
        }
        home = home.toAbsolutePath().normalize();
        if (importDir == null) {
            importDir = home.resolve("import");
        }
        importDir = importDir.toAbsolutePath().normalize();
        Files.createDirectories(home);
        Files.createDirectories(importDir);
        if (pidFile != null) {
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        }

        String password = System.getenv().getOrDefault("RELMAP_NEO4J_PASSWORD", "");
        if (password.isEmpty()) {
            password = "relmap-test-password";
        }

        SocketAddress bolt = new SocketAddress(HOST, port);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                // Server-side logs (debug.log etc.) stay below HOME/logs; the
                // short user log goes to stdout, i.e. the launcher's log file.
                .setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                .setConfig(Map.ofEntries(
                        // Bolt only, loopback only, plain text (tests use bolt:// and neo4j://).
                        Map.entry(BoltConnector.enabled, true),
                        Map.entry(BoltConnector.listen_address, bolt),
                        Map.entry(BoltConnector.advertised_address, bolt),
                        Map.entry(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED),
                        Map.entry(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST)),
                        Map.entry(GraphDatabaseSettings.default_advertised_address, new SocketAddress(HOST)),
                        Map.entry(HttpConnector.enabled, false),
                        Map.entry(HttpsConnector.enabled, false),
                        // No server-side routing connector: it would open a second
                        // port (7688) and clash between parallel instances. Drivers'
                        // neo4j:// still works: the single server answers ROUTE
                        // with itself as reader, writer and router.
                        Map.entry(GraphDatabaseSettings.routing_enabled, false),
                        // Authentication on; the neo4j user's password is set below.
                        Map.entry(GraphDatabaseSettings.auth_enabled, true),
                        Map.entry(GraphDatabaseSettings.auth_minimum_password_length, 1),
                        // LOAD CSV FROM 'file:///x.csv' reads IMPORT_DIR/x.csv.
                        Map.entry(GraphDatabaseSettings.allow_file_urls, true),
                        Map.entry(GraphDatabaseSettings.load_csv_file_url_root, importDir),
                        // Modest footprint: the machine is shared.
                        Map.entry(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pagecache)),
                        Map.entry(GraphDatabaseSettings.preallocate_logical_logs, false),
                        Map.entry(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(32)),
                        Map.entry(GraphDatabaseSettings.keep_logical_logs, "2 files"),
                        // No usage reports (there is no internet here anyway).
                        Map.entry(GraphDatabaseSettings.udc_enabled, false),
                        // Bolt's netty event loops otherwise idle 5 s ("quiet
                        // period") before they stop, which makes SIGTERM slow.
                        Map.entry(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("relmap-neo4j stopping");
            try {
                dbms.shutdown();
            } catch (Throwable t) {
                t.printStackTrace();
            } finally {
                System.out.println("relmap-neo4j stopped");
                System.out.flush();
                stopped.countDown();
            }
        }, "relmap-neo4j-shutdown"));

        try {
            setPassword(dbms, password);
            // A trivial query proves the default database is online.
            dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        } catch (Throwable t) {
            System.out.println("relmap-neo4j failed: " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
        }

        // scripts/neo4j-local waits for this exact line before it probes Bolt.
        System.out.println("relmap-neo4j ready bolt://" + HOST + ":" + port + " import-dir=" + importDir);
        System.out.flush();
        stopped.await();
    }

    // On a fresh store the system database creates `neo4j` with password
    // "neo4j" and "change required". Embedded access to the system database
    // needs no login, so set the configured password with Cypher, clearing
    // the change-required flag. Runs at every start so that changing
    // RELMAP_NEO4J_PASSWORD takes effect on the next start; it is a no-op
    // when the password is already right.
    private static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        boolean changeRequired = true;
        try (Transaction tx = system.beginTx();
                Result r = tx.execute("SHOW USERS YIELD user, passwordChangeRequired WHERE user = $u RETURN passwordChangeRequired",
                        Map.of("u", USER))) {
            if (r.hasNext()) {
                changeRequired = Boolean.TRUE.equals(r.next().get("passwordChangeRequired"));
            }
            tx.commit();
        }
        try {
            system.executeTransactionally("ALTER USER " + USER + " SET PASSWORD $pw CHANGE NOT REQUIRED",
                    Map.of("pw", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the value it already has.
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
            if (changeRequired) {
                system.executeTransactionally("ALTER USER " + USER + " SET PASSWORD CHANGE NOT REQUIRED");
            }
        }
    }

    private static void usage(String msg) {
        System.err.println("Launcher: " + msg);
        System.err.println("usage: Launcher [--home DIR] [--port N] [--import-dir DIR] [--pagecache SIZE] [--pid-file FILE]");
        System.exit(2);
    }

    private Launcher() {}
}
