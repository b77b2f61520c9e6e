package opsdeck.interop;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.redisson.Redisson;
import org.redisson.RedissonObject;
import org.redisson.api.RFencedLock;
import org.redisson.api.RLock;
import org.redisson.api.RReadWriteLock;
import org.redisson.api.RSemaphore;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Puts a Redis server into a lock state with real Redisson, then keeps it there until stdin says
 * {@code quit} or closes. The opsdeck interop tests (test/interop/redisson.test.ts) read the same
 * state through opsdeck and compare.
 *
 * <pre>
 * java -jar redisson-interop.jar REDIS_URL SCENARIO NAME [ARG]
 *   rlock NAME [leaseSeconds]   one thread takes RLock NAME twice (reentrancy 2), lease 60 s
 *   fair NAME                   A holds RFairLock NAME; B, then C, wait in tryLock (60 s)
 *   rw NAME read|write          two readers (counts 2 and 1), or one writer, of RReadWriteLock NAME
 *   semaphore NAME              RSemaphore NAME: trySetPermits(5), acquire(2)
 *   fenced NAME                 RFencedLock NAME: lock+unlock once, then take it with a token (2)
 *   waiter NAME [read]          blocks in RLock.lock() on NAME (or in the read lock of RReadWriteLock
 *                               NAME), held by someone else; prints ACQUIRED when it gets it
 * </pre>
 *
 * Stdout carries only protocol lines, one JSON object each (logs go to stderr):
 * {@code READY {...}} once the state is in Redis, with the client id and owner fields used;
 * {@code ACQUIRED {"owner":...}} when a waiting thread gets the lock;
 * {@code GAVE_UP {"owner":...}} when a waiting thread's tryLock times out.
 */
public final class Interop {
    /** Explicit leases keep the TTL predictable: the watchdog would keep resetting it to 30 s. */
    static final long LEASE_SECONDS = 60;
    static final long WAIT_SECONDS = 60;

    /** Counted down on "quit" or end of stdin; every holder thread waits for it. */
    static final CountDownLatch quit = new CountDownLatch(1);
    static final List<Holder> holders = new ArrayList<>();
    static RedissonClient redisson;

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: java -jar redisson-interop.jar REDIS_URL rlock|fair|rw|semaphore|fenced|waiter NAME [ARG]");
            System.exit(2);
        }
        String url = args[0], scenario = args[1], name = args[2];
        String arg = args.length > 3 ? args[3] : null;

        Config config = new Config();
        // Small pools: the scenarios need a handful of connections, and JVM start-up is the cost.
        config.setThreads(2).setNettyThreads(4);
        config.useSingleServer()
                .setAddress(url)
                .setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(8)
                .setSubscriptionConnectionMinimumIdleSize(1);
        redisson = Redisson.create(config);
        try {
            switch (scenario) {
                case "rlock" -> rlock(name, arg == null ? LEASE_SECONDS : Long.parseLong(arg));
                case "fair" -> fair(name);
                case "rw" -> rw(name, arg);
                case "semaphore" -> semaphore(name);
                case "fenced" -> fenced(name);
                case "waiter" -> waiter(name, "read".equals(arg));
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            }
            awaitQuit();
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        quit.countDown();
        for (Holder h : holders) h.join(2_000);
        redisson.shutdown();
        // Waiters may still be blocked inside Redisson; they are daemons, but exit explicitly anyway.
        System.exit(0);
    }

    static void rlock(String name, long leaseSeconds) throws Exception {
        RLock lock = redisson.getLock(name);
        Holder h = hold(lock, () -> {
            lock.lock(leaseSeconds, TimeUnit.SECONDS);
            lock.lock(leaseSeconds, TimeUnit.SECONDS); // reentrant: the owner's count becomes 2
        });
        h.awaitTaken();
        emit("READY", fields("client", redisson.getId(), "owner", h.owner(), "count", 2, "leaseMs", leaseSeconds * 1000));
    }

    static void fair(String name) throws Exception {
        RLock lock = redisson.getFairLock(name);
        Holder a = hold(lock, () -> lock.lock(LEASE_SECONDS, TimeUnit.SECONDS));
        a.awaitTaken();
        // B must be queued before C starts, or the queue order would be a race between threads.
        Holder b = waitFor(lock, "B");
        awaitQueued(name, b.owner());
        Holder c = waitFor(lock, "C");
        awaitQueued(name, c.owner());
        emit("READY", fields("client", redisson.getId(), "holder", a.owner(), "waiters", List.of(b.owner(), c.owner())));
    }

    /** A thread that queues for a fair lock with tryLock, as an application thread would. */
    static Holder waitFor(RLock lock, String label) {
        return hold(lock, () -> {
            String owner = redisson.getId() + ":" + Thread.currentThread().getId();
            if (lock.tryLock(WAIT_SECONDS, LEASE_SECONDS, TimeUnit.SECONDS)) {
                emit("ACQUIRED", fields("owner", owner, "label", label));
            } else {
                emit("GAVE_UP", fields("owner", owner, "label", label));
            }
        });
    }

    static void awaitQueued(String name, String owner) throws InterruptedException {
        // The same key name RedissonFairLock derives, so a layout change in Redisson shows up here.
        String queue = RedissonObject.prefixName("redisson_lock_queue", name);
        poll("waiter " + owner + " in " + queue, () -> redisson.getList(queue, StringCodec.INSTANCE).readAll().contains(owner));
    }

    static void rw(String name, String mode) throws Exception {
        RReadWriteLock rw = redisson.getReadWriteLock(name);
        if ("read".equals(mode)) {
            RLock read = rw.readLock();
            Holder r1 = hold(read, () -> {
                read.lock(LEASE_SECONDS, TimeUnit.SECONDS);
                read.lock(LEASE_SECONDS, TimeUnit.SECONDS);
            });
            r1.awaitTaken();
            Holder r2 = hold(read, () -> read.lock(LEASE_SECONDS, TimeUnit.SECONDS));
            r2.awaitTaken();
            emit("READY", fields("client", redisson.getId(), "mode", "read",
                    "readers", List.of(fields("owner", r1.owner(), "count", 2), fields("owner", r2.owner(), "count", 1))));
        } else if ("write".equals(mode)) {
            RLock write = rw.writeLock();
            Holder w = hold(write, () -> write.lock(LEASE_SECONDS, TimeUnit.SECONDS));
            w.awaitTaken();
            // Redisson stores the writer as "<owner>:write"; the owner itself is the usual uuid:threadId.
            emit("READY", fields("client", redisson.getId(), "mode", "write", "owner", w.owner()));
        } else {
            throw new IllegalArgumentException("rw needs read or write, not " + mode);
        }
    }

    static void semaphore(String name) throws Exception {
        RSemaphore sem = redisson.getSemaphore(name);
        if (!sem.trySetPermits(5)) throw new IllegalStateException("semaphore " + name + " already exists");
        sem.acquire(2);
        emit("READY", fields("client", redisson.getId(), "permits", 5, "acquired", 2, "free", sem.availablePermits()));
    }

    static void fenced(String name) throws Exception {
        RFencedLock lock = redisson.getFencedLock(name);
        Long[] token = new Long[1];
        Holder h = hold(lock, () -> {
            // One acquire before the real one: the token is a counter that survives unlock, so the
            // test sees 2, a value a reader could not get by assuming "1".
            lock.lock(LEASE_SECONDS, TimeUnit.SECONDS);
            lock.unlock();
            // lockAndGetToken(lease, unit) drops the lease in 3.52.0 (it calls the no-lease
            // overload, so the watchdog's 30 s applies); tryLockAndGetToken passes it through.
            token[0] = lock.tryLockAndGetToken(WAIT_SECONDS, LEASE_SECONDS, TimeUnit.SECONDS);
        });
        h.awaitTaken();
        emit("READY", fields("client", redisson.getId(), "owner", h.owner(), "token", token[0]));
    }

    static void waiter(String name, boolean read) throws Exception {
        RLock lock = read ? redisson.getReadWriteLock(name).readLock() : redisson.getLock(name);
        Holder w = hold(lock, () -> {
            lock.lock(); // no lease: what most applications do (watchdog-renewed)
            emit("ACQUIRED", fields("owner", redisson.getId() + ":" + Thread.currentThread().getId()));
        });
        // lock() subscribes to the unlock channel before it first tries, so a subscriber on the
        // channel means the thread is waiting for exactly the message a force release must send.
        // Read-write locks have their own channel.
        String channel = RedissonObject.prefixName(read ? "redisson_rwlock" : "redisson_lock__channel", name);
        poll("a subscriber on " + channel, () -> redisson.getTopic(channel).countSubscribers() > 0);
        emit("READY", fields("client", redisson.getId(), "owner", w.owner(), "channel", channel));
    }

    /**
     * Redisson locks belong to a thread (the owner field is uuid:threadId), so each holder is its own
     * thread that stays alive until quit and then unlocks what it still holds.
     */
    static Holder hold(RLock lock, Step take) {
        Holder h = new Holder(lock, take);
        holders.add(h);
        h.start();
        return h;
    }

    interface Step {
        void run() throws Exception;
    }

    static final class Holder extends Thread {
        final RLock lock;
        final Step take;
        final CountDownLatch taken = new CountDownLatch(1);
        volatile Throwable failure;

        Holder(RLock lock, Step take) {
            this.lock = lock;
            this.take = take;
            setDaemon(true);
        }

        String owner() {
            return redisson.getId() + ":" + getId();
        }

        @Override
        public void run() {
            try {
                take.run();
            } catch (Throwable e) {
                failure = e;
            }
            taken.countDown();
            try {
                quit.await();
                // A lock opsdeck force-released is no longer ours; unlock() would throw.
                while (lock.isHeldByCurrentThread()) lock.unlock();
            } catch (Throwable ignored) {
                // Shutting down; the server is thrown away with the test.
            }
        }

        void awaitTaken() throws Exception {
            if (!taken.await(30, TimeUnit.SECONDS)) throw new IllegalStateException(getName() + " did not take the lock in 30 s");
            if (failure != null) throw new IllegalStateException(getName() + " failed", failure);
        }
    }

    static void poll(String what, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    static void awaitQuit() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.trim().equals("quit")) return;
        }
    }

    // --- output: one line per event, a tag and a JSON object (no JSON library needed for this) ---

    static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static synchronized void emit(String tag, Map<String, Object> fields) {
        System.out.println(tag + " " + json(fields));
        System.out.flush();
    }

    static String json(Object v) {
        if (v == null) return "null";
        if (v instanceof Number || v instanceof Boolean) return v.toString();
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, x) -> parts.add(json(k) + ":" + json(x)));
            return "{" + String.join(",", parts) + "}";
        }
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            l.forEach(x -> parts.add(json(x)));
            return "[" + String.join(",", parts) + "]";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : v.toString().toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }
}
