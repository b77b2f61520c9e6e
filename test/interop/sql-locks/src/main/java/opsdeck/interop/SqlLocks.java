package opsdeck.interop;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.locks.Lock;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.support.Utils;

import org.springframework.core.io.ClassPathResource;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.jdbc.lock.LockRepository;
import org.springframework.integration.util.UUIDConverter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Takes database locks the way applications do — ShedLock's JdbcTemplateLockProvider and Spring
 * Integration's JdbcLockRegistry — on one database, driven line by line from stdin, so the opsdeck
 * interop test (test/interop/sql-locks.test.ts) can compare what opsdeck reads with what the
 * frameworks wrote.
 *
 * <pre>
 * java [-Duser.timezone=ZONE] -jar sql-locks-interop.jar JDBC_URL
 * stdin commands, one per line:
 *   schema                       ShedLock's documented table for this database, and Spring
 *                                Integration's schema-{postgresql,mysql}.sql from its own jar
 *   shed-lock ID NAME SECONDS    ShedLock instance ID (one provider each, created on first use)
 *                                calls lock(NAME, lockAtMostFor = SECONDS, lockAtLeastFor = 0)
 *   shed-unlock ID NAME          unlocks what instance ID holds
 *   spring-lock KEY              JdbcLockRegistry.obtain(KEY).lock()
 *   spring-unlock KEY            unlocks it
 *   quit                         unlocks everything still held and exits (so does end of stdin)
 * </pre>
 *
 * Stdout carries only protocol lines, {@code TAG {json}}: HELLO once, then one reply per command
 * (SCHEMA, SHED_LOCKED / SHED_BUSY, SHED_UNLOCKED, SPRING_LOCKED, SPRING_UNLOCKED, or ERROR).
 * Replies carry the lock row as this JVM reads it back, with instants the way the framework meant
 * them (ShedLock: the JVM's zone, in milliseconds; Spring Integration: UTC, in whatever precision
 * the column keeps), plus ShedLock's stored wall-clock text.
 */
public final class SqlLocks {
    /** Long enough that nothing expires while a test looks at it. */
    static final Duration SPRING_TTL = Duration.ofSeconds(120);
    static final String REGION = "DEFAULT";

    static DataSource ds;
    static JdbcTemplate jdbc;
    /** "postgresql" or "mysql": the suffix of Spring Integration's schema scripts. */
    static String dialect;
    static final Map<String, JdbcTemplateLockProvider> shedProviders = new HashMap<>();
    static final Map<String, SimpleLock> shedHeld = new LinkedHashMap<>();
    static final Map<String, Lock> springHeld = new LinkedHashMap<>();
    static final String clientId = UUID.randomUUID().toString();
    static JdbcLockRegistry registry;
    static final ObjectMapper JSON = new ObjectMapper();
    static DefaultLockRepository repository;

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -jar sql-locks-interop.jar JDBC_URL  (commands on stdin)");
            System.exit(2);
        }
        Properties versions = new Properties();
        try (InputStream in = SqlLocks.class.getResourceAsStream("/versions.properties")) {
            versions.load(in);
        }
        ds = new DriverManagerDataSource(args[0]);
        jdbc = new JdbcTemplate(ds);
        String product;
        try (Connection c = ds.getConnection()) {
            product = c.getMetaData().getDatabaseProductName();
        }
        dialect = product.toLowerCase().contains("postgres") ? "postgresql" : "mysql";
        registry = springRegistry();
        emit("HELLO", fields(
                "line", versions.getProperty("line"),
                "springIntegration", versions.getProperty("springIntegration"),
                "spring", versions.getProperty("spring"),
                "shedlock", versions.getProperty("shedlock"),
                "product", product,
                "hostname", Utils.getHostname(),
                "timeZone", TimeZone.getDefault().getID(),
                "clientId", clientId,
                "region", REGION));

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            if (w[0].isEmpty()) continue;
            if (w[0].equals("quit")) break;
            try {
                run(w);
            } catch (Throwable e) {
                e.printStackTrace();
                emit("ERROR", fields("command", line.trim(), "message", String.valueOf(e)));
            }
        }
        for (SimpleLock l : shedHeld.values()) l.unlock();
        for (Lock l : springHeld.values()) l.unlock();
        System.exit(0);
    }

    static void run(String[] w) throws Exception {
        switch (w[0]) {
            case "schema" -> schema();
            case "shed-lock" -> shedLock(w[1], w[2], Long.parseLong(w[3]));
            case "shed-unlock" -> {
                SimpleLock l = shedHeld.remove(w[1] + "/" + w[2]);
                if (l == null) throw new IllegalStateException("instance " + w[1] + " does not hold " + w[2]);
                l.unlock();
                emit("SHED_UNLOCKED", fields("id", w[1], "name", w[2], "row", shedRow(w[2])));
            }
            case "spring-lock" -> {
                Lock l = registry.obtain(w[1]);
                l.lock();
                springHeld.put(w[1], l);
                String lockKey = UUIDConverter.getUUID(w[1]).toString();
                emit("SPRING_LOCKED", fields("key", w[1], "lockKey", lockKey, "clientId", clientId, "region", REGION,
                        "row", springRow(lockKey)));
            }
            case "spring-unlock" -> {
                Lock l = springHeld.remove(w[1]);
                if (l == null) throw new IllegalStateException("not holding " + w[1]);
                l.unlock();
                emit("SPRING_UNLOCKED", fields("key", w[1], "row", springRow(UUIDConverter.getUUID(w[1]).toString())));
            }
            default -> throw new IllegalArgumentException("unknown command " + w[0]);
        }
    }

    /**
     * The ShedLock table exactly as its README gives it for each database (PostgreSQL: TIMESTAMP;
     * MySQL/MariaDB: TIMESTAMP(3)), and Spring Integration's own script, read from its jar.
     */
    static void schema() {
        if (dialect.equals("postgresql")) {
            jdbc.execute("CREATE TABLE shedlock(name VARCHAR(64) NOT NULL, lock_until TIMESTAMP NOT NULL,"
                    + " locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT NULL, PRIMARY KEY (name))");
        } else {
            jdbc.execute("CREATE TABLE shedlock(name VARCHAR(64) NOT NULL, lock_until TIMESTAMP(3) NOT NULL,"
                    + " locked_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), locked_by VARCHAR(255) NOT NULL,"
                    + " PRIMARY KEY (name))");
        }
        String script = "org/springframework/integration/jdbc/schema-" + dialect + ".sql";
        new ResourceDatabasePopulator(new ClassPathResource(script)).execute(ds);
        emit("SCHEMA", fields("script", script, "intLockColumns", columns("INT_LOCK")));
    }

    static void shedLock(String id, String name, long seconds) {
        // One provider per simulated application instance: each keeps its own record cache, as
        // separate JVMs would.
        JdbcTemplateLockProvider provider = shedProviders.computeIfAbsent(id, k -> new JdbcTemplateLockProvider(
                JdbcTemplateLockProvider.Configuration.builder().withJdbcTemplate(jdbc).build()));
        LockConfiguration cfg = new LockConfiguration(ClockProvider.now(), name, Duration.ofSeconds(seconds), Duration.ZERO);
        Optional<SimpleLock> lock = provider.lock(cfg);
        if (lock.isPresent()) {
            shedHeld.put(id + "/" + name, lock.get());
            emit("SHED_LOCKED", fields("id", id, "name", name, "lockAtMostUntil", MILLIS.format(cfg.getLockAtMostUntil()),
                    "row", shedRow(name)));
        } else {
            emit("SHED_BUSY", fields("id", id, "name", name, "row", shedRow(name)));
        }
    }

    /**
     * JdbcLockRegistry outside an application context: the repository needs its transaction
     * manager and the two lifecycle calls a context would make. 7.x takes the lock TTL in the
     * registry's constructor (and 7.1 removed the repository's setTimeToLive); 6.x only has the
     * repository's setTimeToLive. Reflection lets one source build against both lines.
     */
    static JdbcLockRegistry springRegistry() throws Exception {
        repository = new DefaultLockRepository(ds, clientId);
        repository.setRegion(REGION);
        repository.setTransactionManager(new DataSourceTransactionManager(ds));
        repository.afterPropertiesSet();
        repository.afterSingletonsInstantiated();
        try {
            Constructor<JdbcLockRegistry> c = JdbcLockRegistry.class.getConstructor(LockRepository.class, Duration.class);
            return c.newInstance(repository, SPRING_TTL);
        } catch (NoSuchMethodException sixLine) {
            DefaultLockRepository.class.getMethod("setTimeToLive", int.class).invoke(repository, (int) SPRING_TTL.toMillis());
            return new JdbcLockRegistry(repository);
        }
    }

    /** The row as ShedLock reads it: TIMESTAMP columns in the JVM's zone (ShedLock's default). */
    static Map<String, Object> shedRow(String name) {
        String text = dialect.equals("postgresql") ? "VARCHAR" : "CHAR";
        List<Map<String, Object>> rows = jdbc.query(
                "SELECT locked_by, lock_until, locked_at, CAST(lock_until AS " + text + ") AS lock_until_text,"
                        + " CAST(locked_at AS " + text + ") AS locked_at_text FROM shedlock WHERE name = ?",
                (rs, i) -> fields(
                        "lockedBy", rs.getString("locked_by"),
                        "lockUntil", iso(rs.getTimestamp("lock_until")),
                        "lockedAt", iso(rs.getTimestamp("locked_at")),
                        "lockUntilText", rs.getString("lock_until_text"),
                        "lockedAtText", rs.getString("locked_at_text")),
                name);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The INT_LOCK row; Spring Integration writes LocalDateTime.now(UTC), so UTC it is. */
    static Map<String, Object> springRow(String lockKey) {
        List<Map<String, Object>> rows = jdbc.query("SELECT * FROM INT_LOCK WHERE LOCK_KEY = ? AND REGION = ?", (rs, i) -> {
            Map<String, Object> m = fields(
                    "lockKey", rs.getString("LOCK_KEY").trim(),
                    "region", rs.getString("REGION"),
                    "clientId", rs.getString("CLIENT_ID").trim(),
                    "createdDate", utc(rs, "CREATED_DATE"));
            if (hasColumn(rs, "EXPIRED_AFTER")) m.put("expiredAfter", utc(rs, "EXPIRED_AFTER"));
            return m;
        }, lockKey, REGION);
        return rows.isEmpty() ? null : rows.get(0);
    }

    static List<String> columns(String table) {
        return jdbc.query("SELECT * FROM " + table + " WHERE 1 = 0", rs -> {
            ResultSetMetaData md = rs.getMetaData();
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) out.add(md.getColumnName(i).toUpperCase());
            return out;
        });
    }

    static boolean hasColumn(ResultSet rs, String name) throws java.sql.SQLException {
        ResultSetMetaData md = rs.getMetaData();
        for (int i = 1; i <= md.getColumnCount(); i++) if (md.getColumnName(i).equalsIgnoreCase(name)) return true;
        return false;
    }

    static String utc(ResultSet rs, String column) throws java.sql.SQLException {
        LocalDateTime t = rs.getObject(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC).toString();
    }

    /** ShedLock's times have millisecond precision; printed like JavaScript's toISOString(). */
    static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    static String iso(Timestamp t) {
        return t == null ? null : MILLIS.format(t.toInstant());
    }

    // --- protocol output: a tag and one JSON object per line ----------------------------------

    static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static synchronized void emit(String tag, Map<String, Object> data) {
        try {
            System.out.println(tag + " " + JSON.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        System.out.flush();
    }
}
