package opsdeck.interop;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Usage: java -jar caffeine-sim.jar TRACE SIZE[,SIZE...]
 * TRACE holds one integer key per line. For each size, a fresh cache with maximumSize(SIZE) and a
 * same-thread executor (maintenance runs right after the write or full read buffer that asks for
 * it, so a run is repeatable) replays the trace as an application would: getIfPresent, and put
 * on a miss. Prints one line per size: "SIZE HITS REQUESTS".
 */
public final class CaffeineSim {
  public static void main(String[] args) throws IOException {
    int[] keys = read(Path.of(args[0]));
    for (String s : args[1].split(",")) {
      int size = Integer.parseInt(s.trim());
      Cache<Integer, Integer> cache = Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
      long hits = 0;
      for (int k : keys) {
        Integer key = k;
        if (cache.getIfPresent(key) != null) hits++;
        else cache.put(key, key);
      }
      System.out.println(size + " " + hits + " " + keys.length);
      System.out.flush();
    }
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
