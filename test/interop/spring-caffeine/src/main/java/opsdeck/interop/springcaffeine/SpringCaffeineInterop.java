package opsdeck.interop.springcaffeine;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Two Caffeine caches behind Spring's cache abstraction, bound to Micrometer by Spring Boot (so
 * the series carry the `cache` and `cacheManager` labels a real service has):
 * - "books": maximumSize 1000, large enough that the test never evicts from it;
 * - "tiny": maximumSize 10, so a run over more keys evicts.
 * Executing maintenance on the caller's thread keeps evictions and cache_size settled by the time
 * a lookup answers, so what the next scrape sees is what the test drove.
 *
 * GET /lookup/{cache}/{key} answers "hit" or "miss" (a miss loads the value and stores it).
 */
@SpringBootApplication
@EnableCaching
@RestController
public class SpringCaffeineInterop {
  private final AtomicLong loads = new AtomicLong();
  private final CacheManager caches;

  public SpringCaffeineInterop(CacheManager caches) {
    this.caches = caches;
  }

  public static void main(String[] args) {
    SpringApplication.run(SpringCaffeineInterop.class, args);
  }

  /** Apart from the controller, which needs the cache manager this makes. */
  @Configuration
  static class Caches {
    @Bean
    public CacheManager cacheManager() {
      CaffeineCacheManager m = new CaffeineCacheManager();
      m.registerCustomCache("books", Caffeine.newBuilder().maximumSize(1000).executor(Runnable::run).recordStats().build());
      m.registerCustomCache("tiny", Caffeine.newBuilder().maximumSize(10).executor(Runnable::run).recordStats().build());
      return m;
    }
  }

  @GetMapping("/lookup/{cache}/{key}")
  public ResponseEntity<String> lookup(@PathVariable("cache") String cache, @PathVariable("key") String key) {
    Cache c = caches.getCache(cache);
    if (c == null) return ResponseEntity.notFound().build();
    // Cache.get(key) counts one hit or one miss in Caffeine's stats, as @Cacheable's lookup does.
    if (c.get(key) != null) return ResponseEntity.ok("hit");
    c.put(key, "value-" + key + "-" + loads.incrementAndGet());
    return ResponseEntity.ok("miss");
  }
}
