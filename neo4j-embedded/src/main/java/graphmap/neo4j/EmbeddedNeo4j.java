package graphmap.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * graphmap's bundled Neo4j: a real Neo4j 5.26 LTS community database, embedded
 * in this JVM, reachable only over Bolt on 127.0.0.1.
 *
 * <p>Why a process of its own rather than a library call: graphmap is Python and
 * only ever talks Bolt through the official driver, so the embedded server must
 * look exactly like any other Neo4j (docker, Aura) from the outside. The Python
 * side (graphmap/neo4j_local.py) starts this class, waits for the single ready
 * line on stdout, and stops it with SIGTERM (the shutdown hook below then closes
 * the store cleanly, so the next start reuses the data directory).
 *
 * <p>Usage: {@code EmbeddedNeo4j --data-dir DIR [--bolt-port N] [--pagecache SIZE]
 * [--tx-memory SIZE] [--exit-on-stdin-eof]}
 */
public final class EmbeddedNeo4j {

    /** The only line ever written to stdout; the Python side waits for it. */
    static final String READY_PREFIX = "graphmap-neo4j ready ";

    private EmbeddedNeo4j() {
    }

    /** Parsed command line. */
    static final class Options {
        Path dataDir;
        int boltPort = 7687;
        String pagecache = "256m";
        String txMemory; // null = derive from the heap size
        boolean exitOnStdinEof;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--data-dir" -> o.dataDir = Path.of(value(args, ++i, a)).toAbsolutePath();
                    case "--bolt-port" -> o.boltPort = Integer.parseInt(value(args, ++i, a));
                    case "--pagecache" -> o.pagecache = value(args, ++i, a);
                    case "--tx-memory" -> o.txMemory = value(args, ++i, a);
                    case "--exit-on-stdin-eof" -> o.exitOnStdinEof = true;
                    default -> throw new IllegalArgumentException("unknown argument: " + a);
                }
            }
            if (o.dataDir == null) {
                throw new IllegalArgumentException("--data-dir is required");
            }
            if (o.boltPort < 1 || o.boltPort > 65535) {
                throw new IllegalArgumentException("--bolt-port out of range: " + o.boltPort);
            }
            return o;
        }

        private static String value(String[] args, int i, String name) {
            if (i >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            return args[i];
        }
    }

    public static void main(String[] args) {
        // Keep stdout for the ready line only: anything Neo4j or a library
        // prints goes to stderr, which the Python side sends to a log file.
        PrintStream protocolOut = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);

        Options opts;
        try {
            opts = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("graphmap-neo4j: " + e.getMessage());
            System.exit(2);
            return;
        }

        DatabaseManagementService dbms;
        try {
            dbms = start(opts);
        } catch (Throwable t) {
            System.err.println("graphmap-neo4j: failed to start Neo4j");
            t.printStackTrace(System.err);
            System.exit(1);
            return;
        }

        AtomicBoolean stopped = new AtomicBoolean(false);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stopped.compareAndSet(false, true)) {
                System.err.println("graphmap-neo4j: shutting down");
                try {
                    dbms.shutdown();
                } catch (Throwable t) {
                    t.printStackTrace(System.err);
                }
                System.err.println("graphmap-neo4j: stopped");
            }
            done.countDown();
        }, "graphmap-neo4j-shutdown"));

        if (opts.exitOnStdinEof) {
            // The parent keeps our stdin open; EOF means it went away (even if
            // it crashed), so we exit instead of lingering as an orphan.
            Thread watcher = new Thread(() -> {
                try {
                    InputStream in = System.in;
                    byte[] buf = new byte[256];
                    while (in.read(buf) >= 0) {
                        // ignore anything written to us
                    }
                } catch (IOException ignored) {
                    // a broken stdin is the same as EOF
                }
                System.err.println("graphmap-neo4j: stdin closed, exiting");
                System.exit(0);
            }, "graphmap-neo4j-stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }

        protocolOut.println(READY_PREFIX + "bolt://127.0.0.1:" + opts.boltPort);
        protocolOut.flush();

        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builds and starts the DBMS; returns once the default database is available. */
    static DatabaseManagementService start(Options opts) {
        long maxHeap = Runtime.getRuntime().maxMemory();
        // Cap all transactions together at ~60% of the heap so one runaway
        // query fails with a clear memory error instead of an OutOfMemoryError
        // that would take the whole server down; one transaction at half the
        // heap (or --tx-memory), so that a transaction too large on its own is
        // told apart (the per-transaction setting is named in the error, and
        // graphmap does not retry it) from one that met others in the pool.
        long txTotal = Math.max(64L << 20, maxHeap * 6 / 10);
        long txOne = opts.txMemory != null
                ? SettingValueParsers.BYTES.parse(opts.txMemory)
                : Math.max(48L << 20, maxHeap / 2);
        txTotal = Math.max(txTotal, txOne);
        long pagecache = SettingValueParsers.BYTES.parse(opts.pagecache);

        Path logs = opts.dataDir.resolve("logs");
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(opts.dataDir)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pagecache)
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, txTotal)
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, txOne)
                .setConfig(GraphDatabaseSettings.logs_directory, logs)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ZERO)
                // A local dev/test server: don't fallocate 256 MB of transaction
                // log per database (512 MB for an empty data dir), rotate at 64 MB.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 64L << 20)
                // Keep no transaction log older than the last checkpoint (taken
                // every 15 min): nothing here reads them (no cluster, no
                // incremental backup), and Neo4j's default of two days kept
                // about 1 GB per 400k-row import, 12 GB in an afternoon.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                // Neo4j waits a 5 s netty "quiet period" per Bolt event loop on
                // shutdown (10 s in all) after the stores are already closed;
                // graphmap stops the server on every exit, so skip that wait.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", opts.boltPort))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", opts.boltPort))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .build();
        // Touch the default database so "ready" means queries will succeed.
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME)
                .executeTransactionally("RETURN 1");
        return dbms;
    }
}
