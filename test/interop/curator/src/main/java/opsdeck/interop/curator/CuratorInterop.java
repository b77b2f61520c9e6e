package opsdeck.interop.curator;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreV2;
import org.apache.curator.retry.RetryNTimes;

/**
 * Drives real Curator lock recipes for the opsdeck interop tests. Every actor is its own
 * CuratorFramework, i.e. its own ZooKeeper session, as separate application processes would be.
 *
 * Usage: java -jar curator-interop.jar CONNECT SCENARIO PATH
 *   mutex     PATH: "holder" takes an InterProcessMutex, then "w1" and "w2" queue for it, in that order
 *   rwlock    PATH: readers "r1" and "r2" hold the read lock, then "writer" and then "r3" queue
 *   semaphore PATH: "a" takes the only lease of an InterProcessSemaphoreV2(maxLeases 1), then "b" queues
 *   waiter    PATH: "waiter" queues for an InterProcessMutex someone else (opsdeck) already holds
 *
 * Protocol on stdout, one line each: HELD/QUEUED {"id","session"} as actors get in or join the line,
 * ACQUIRED {"id","session"} when a queued actor gets in later, READY {"ip",...} when the scene is set,
 * ERROR {"message"} on failure. A line "quit" (or EOF) on stdin closes every session and exits.
 */
public final class CuratorInterop {
  private static final String CONNECT_TIMEOUT_NOTE = "could not connect to ZooKeeper";
  private static final List<CuratorFramework> clients = new ArrayList<>();
  private static String connect;

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: CONNECT mutex|rwlock|semaphore PATH");
      System.exit(2);
    }
    connect = args[0];
    String path = args[2];
    try {
      switch (args[1]) {
        case "mutex" -> mutex(path);
        case "rwlock" -> rwlock(path);
        case "semaphore" -> semaphore(path);
        case "waiter" -> waiter(path);
        default -> throw new IllegalArgumentException("unknown scenario " + args[1]);
      }
      emit("READY", Map.of("ip", localIp()));
    } catch (Exception e) {
      emit("ERROR", Map.of("message", String.valueOf(e)));
      shutdown(1);
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.trim().equals("quit")) break;
    }
    shutdown(0);
  }

  private static void mutex(String path) throws Exception {
    CuratorFramework holder = client();
    new InterProcessMutex(holder, path).acquire();
    emit("HELD", actor("holder", holder));
    // Each waiter joins the line only after the one before it has its node, so the order is known.
    for (int i = 1; i <= 2; i++) {
      String id = "w" + i;
      CuratorFramework c = client();
      InterProcessMutex m = new InterProcessMutex(c, path);
      background(id, c, () -> m.acquire());
      waitForChildren(holder, path, i + 1);
      emit("QUEUED", actor(id, c));
    }
  }

  private static void rwlock(String path) throws Exception {
    CuratorFramework probe = null;
    for (String id : new String[] {"r1", "r2"}) {
      CuratorFramework c = client();
      new InterProcessReadWriteLock(c, path).readLock().acquire();
      emit("HELD", actor(id, c));
      probe = c;
    }
    CuratorFramework w = client();
    InterProcessReadWriteLock wl = new InterProcessReadWriteLock(w, path);
    background("writer", w, () -> wl.writeLock().acquire());
    waitForChildren(probe, path, 3);
    emit("QUEUED", actor("writer", w));
    // A reader that arrives after a waiting writer waits too (Curator's rule).
    CuratorFramework r3 = client();
    InterProcessReadWriteLock rl = new InterProcessReadWriteLock(r3, path);
    background("r3", r3, () -> rl.readLock().acquire());
    waitForChildren(probe, path, 4);
    emit("QUEUED", actor("r3", r3));
  }

  private static void semaphore(String path) throws Exception {
    CuratorFramework a = client();
    new InterProcessSemaphoreV2(a, path, 1).acquire();
    emit("HELD", actor("a", a));
    CuratorFramework b = client();
    InterProcessSemaphoreV2 sb = new InterProcessSemaphoreV2(b, path, 1);
    background("b", b, () -> sb.acquire());
    waitForChildren(a, path + "/leases", 2);
    emit("QUEUED", actor("b", b));
  }

  private static void waiter(String path) throws Exception {
    CuratorFramework c = client();
    int before = c.checkExists().forPath(path) == null ? 0 : c.getChildren().forPath(path).size();
    InterProcessMutex m = new InterProcessMutex(c, path);
    background("waiter", c, () -> m.acquire());
    waitForChildren(c, path, before + 1);
    emit("QUEUED", actor("waiter", c));
  }

  private interface Blocking {
    void run() throws Exception;
  }

  /** Runs a blocking acquire on its own thread and reports ACQUIRED when it returns. */
  private static void background(String id, CuratorFramework c, Blocking acquire) {
    Thread t = new Thread(() -> {
      try {
        acquire.run();
        emit("ACQUIRED", actor(id, c));
      } catch (Exception e) {
        if (c.getState() == org.apache.curator.framework.imps.CuratorFrameworkState.STARTED) {
          emit("ERROR", Map.of("message", id + ": " + e));
        }
      }
    }, id);
    t.setDaemon(true);
    t.start();
  }

  private static void waitForChildren(CuratorFramework c, String path, int count) throws Exception {
    long until = System.currentTimeMillis() + 30_000;
    while (c.checkExists().forPath(path) == null || c.getChildren().forPath(path).size() < count) {
      if (System.currentTimeMillis() > until) throw new IllegalStateException("fewer than " + count + " children under " + path);
      Thread.sleep(20);
    }
  }

  private static CuratorFramework client() throws InterruptedException {
    CuratorFramework c = CuratorFrameworkFactory.builder()
        .connectString(connect)
        .sessionTimeoutMs(60_000)
        .connectionTimeoutMs(15_000)
        .retryPolicy(new RetryNTimes(3, 500))
        .build();
    c.start();
    if (!c.blockUntilConnected(30, TimeUnit.SECONDS)) throw new IllegalStateException(CONNECT_TIMEOUT_NOTE + " at " + connect);
    synchronized (clients) {
      clients.add(c);
    }
    return c;
  }

  private static Map<String, Object> actor(String id, CuratorFramework c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    try {
      m.put("session", "0x" + Long.toHexString(c.getZookeeperClient().getZooKeeper().getSessionId()));
    } catch (Exception e) {
      m.put("session", null);
    }
    return m;
  }

  /** What Curator writes as node data by default: this host's address as text. */
  private static String localIp() {
    try {
      return InetAddress.getLocalHost().getHostAddress();
    } catch (Exception e) {
      return "";
    }
  }

  private static void shutdown(int code) {
    synchronized (clients) {
      for (CuratorFramework c : clients) c.close();
    }
    System.out.flush();
    System.exit(code);
  }

  private static synchronized void emit(String tag, Map<String, ?> fields) {
    StringBuilder sb = new StringBuilder(tag).append(" {");
    boolean first = true;
    for (Map.Entry<String, ?> e : fields.entrySet()) {
      if (!first) sb.append(',');
      first = false;
      sb.append(quote(e.getKey())).append(':').append(e.getValue() == null ? "null" : quote(String.valueOf(e.getValue())));
    }
    System.out.println(sb.append('}'));
    System.out.flush();
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      if (ch == '"' || ch == '\\') sb.append('\\').append(ch);
      else if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
      else sb.append(ch);
    }
    return sb.append('"').toString();
  }
}
