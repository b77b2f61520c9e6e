package opsdeck.interop;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.seata.core.context.RootContext;
import io.seata.core.model.GlobalStatus;
import io.seata.rm.RMClient;
import io.seata.rm.datasource.DataSourceProxy;
import io.seata.tm.TMClient;
import io.seata.tm.api.GlobalTransaction;
import io.seata.tm.api.GlobalTransactionContext;

/**
 * A Seata AT application in miniature: TM and RM clients of seata-all, a HikariCP pool behind
 * Seata's DataSourceProxy, and a transfer between two rows of an {@code account} table as the
 * global transaction's one branch. Driven line by line from stdin so that the opsdeck tests
 * (test/interop/seata.test.ts) can hold a global transaction open, or let the process die with one
 * open, and look at what the real TC stored.
 *
 * <pre>
 * java -jar seata-at.jar MODE TC_HOST:PORT JDBC_URL DB_USER APPLICATION_ID
 *   MODE at   TM and RM: can begin global transactions
 *        rm   RM only: registers the resource with the TC (as an application restarting does)
 *             and then only answers the TC, which delivers pending branch rollbacks to it
 * stdin commands, one per line:
 *   begin TIMEOUT_MS NAME FROM TO AMOUNT   begins a global transaction, moves AMOUNT from account
 *                                          FROM to account TO with two UPDATEs in one local
 *                                          transaction under the DataSourceProxy, commits that local
 *                                          transaction (phase one) and keeps the global one open
 *   commit XID / rollback XID              ends a global transaction this process began
 *   quit                                   rolls back what is still open and exits (so does end of stdin)
 * </pre>
 *
 * Stdout carries only protocol lines, {@code TAG {json}}: HELLO once the clients are initialised,
 * then one reply per command (HELD, COMMITTED, ROLLED_BACK, or ERROR). Seata's own logging goes
 * to stderr (slf4j-simple).
 */
public final class SeataAt {
    static final String TX_GROUP = "opsdeck_tx_group";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, GlobalTransaction> open = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        if (args.length != 5 || !(args[0].equals("at") || args[0].equals("rm"))) {
            System.err.println("usage: java -jar seata-at.jar at|rm TC_HOST:PORT JDBC_URL DB_USER APPLICATION_ID  (commands on stdin)");
            System.exit(2);
        }
        String mode = args[0];
        // Seata reads a system property before its file configuration, so the TC's port (free,
        // chosen per test run) need not be written into file.conf.
        System.setProperty("service.default.grouplist", args[1]);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(args[2]);
        hc.setUsername(args[3]);
        hc.setMaximumPoolSize(2);
        HikariDataSource pool = new HikariDataSource(hc);

        if (mode.equals("at")) TMClient.init(args[4], TX_GROUP);
        RMClient.init(args[4], TX_GROUP);
        // Creating the proxy registers the resource (the JDBC URL) with the TC.
        DataSourceProxy proxy = new DataSourceProxy(pool);
        emit("HELLO", fields("mode", mode, "applicationId", args[4], "resourceId", proxy.getResourceId(), "txServiceGroup", TX_GROUP));

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            try {
                switch (w[0]) {
                    case "begin" -> {
                        if (!mode.equals("at")) throw new IllegalStateException("an rm-mode client cannot begin a global transaction");
                        begin(proxy, Integer.parseInt(w[1]), w[2], Integer.parseInt(w[3]), Integer.parseInt(w[4]), Integer.parseInt(w[5]));
                    }
                    case "commit" -> end(w[1], true);
                    case "rollback" -> end(w[1], false);
                    case "quit" -> {
                        quit();
                        return;
                    }
                    case "" -> { }
                    default -> throw new IllegalArgumentException("unknown command " + w[0]);
                }
            } catch (Exception e) {
                emit("ERROR", fields("command", line, "message", String.valueOf(e)));
            }
        }
        quit();
    }

    static void begin(DataSourceProxy proxy, int timeoutMs, String name, int from, int to, int amount) throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.getCurrentOrCreate();
        tx.begin(timeoutMs, name);
        String xid = tx.getXid();
        try (Connection c = proxy.getConnection()) {
            c.setAutoCommit(false);
            update(c, "UPDATE account SET balance = balance - ? WHERE id = ?", amount, from);
            update(c, "UPDATE account SET balance = balance + ? WHERE id = ?", amount, to);
            // Phase one: the RM registers the branch with its row locks, writes the undo log and
            // commits locally. The global transaction stays open.
            c.commit();
        } catch (Exception e) {
            tx.rollback();
            throw e;
        } finally {
            // Unbound, so the next begin starts a new global transaction on this thread.
            RootContext.unbind();
        }
        open.put(xid, tx);
        emit("HELD", fields("xid", xid, "name", name, "timeoutMs", timeoutMs));
    }

    static void update(Connection c, String sql, int a, int b) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, a);
            ps.setInt(2, b);
            if (ps.executeUpdate() != 1) throw new IllegalStateException("no account row for " + sql + " " + a + " " + b);
        }
    }

    static void end(String xid, boolean commit) throws Exception {
        GlobalTransaction tx = open.get(xid);
        if (tx == null) throw new IllegalArgumentException("no open global transaction " + xid + " in this process");
        if (commit) tx.commit();
        else tx.rollback();
        open.remove(xid);
        GlobalStatus status = tx.getStatus();
        emit(commit ? "COMMITTED" : "ROLLED_BACK", fields("xid", xid, "status", status.name()));
    }

    static void quit() {
        for (GlobalTransaction tx : open.values()) {
            try {
                tx.rollback();
            } catch (Exception e) {
                System.err.println("rollback of " + tx.getXid() + " on quit failed: " + e);
            }
        }
        System.out.flush();
        // Seata's client threads are not daemons.
        System.exit(0);
    }

    static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static synchronized void emit(String tag, Map<String, Object> data) throws JsonProcessingException {
        System.out.println(tag + " " + JSON.writeValueAsString(data));
        System.out.flush();
    }
}
