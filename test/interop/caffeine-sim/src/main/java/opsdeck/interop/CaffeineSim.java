package opsdeck.interop;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Usage: java -jar caffeine-sim.jar TRACE SIZE[,SIZE...] RUNS
 * TRACE holds one integer key per line. For each size, a fresh cache with maximumSize(SIZE) and a
 * same-thread executor (maintenance runs right after the write or full read buffer that asks for
 * it) replays the trace as an application would: getIfPresent, and put on a miss.
 * Run 0 uses the keys as written; each further run renames them by a seeded random permutation:
 * the same access pattern under other hash codes, since Caffeine's frequency sketch (and so its
 * window climber) sees keys only through their hashes. Prints one line per size:
 * "SIZE REQUESTS HITS_RUN0 HITS_RUN1 ...".
 */
public final class CaffeineSim {
  public static void main(String[] args) throws IOException {
    int[] keys = read(Path.of(args[0]));
    int runs = Integer.parseInt(args[2]);
    int[][] traces = new int[runs][];
    for (int r = 0; r < runs; r++) traces[r] = r == 0 ? keys : relabel(keys, r);
    for (String s : args[1].split(",")) {
      int size = Integer.parseInt(s.trim());
      StringBuilder line = new StringBuilder().append(size).append(' ').append(keys.length);
      for (int[] trace : traces) line.append(' ').append(replay(trace, size));
      System.out.println(line);
      System.out.flush();
    }
  }

  private static long replay(int[] keys, int size) {
    Cache<Integer, Integer> cache = Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
    long hits = 0;
    for (int k : keys) {
      Integer key = k;
      if (cache.getIfPresent(key) != null) hits++;
      else cache.put(key, key);
    }
    return hits;
  }

  private static int[] relabel(int[] keys, long seed) {
    int max = 0;
    for (int k : keys) max = Math.max(max, k);
    int[] name = new int[max + 1];
    for (int i = 0; i <= max; i++) name[i] = i;
    Random random = new Random(seed);
    for (int i = max; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = name[i];
      name[i] = name[j];
      name[j] = t;
    }
    int[] out = new int[keys.length];
    for (int i = 0; i < keys.length; i++) out[i] = name[keys[i]];
    return out;
  }

  private static int[] read(Path file) throws IOException {
    int[] keys = new int[1 << 16];
    int n = 0;
    try (BufferedReader in = Files.newBufferedReader(file)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isEmpty()) continue;
        if (n == keys.length) keys = Arrays.copyOf(keys, n * 2);
        keys[n++] = Integer.parseInt(line);
      }
    }
    return Arrays.copyOf(keys, n);
  }
}
