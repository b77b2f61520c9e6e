package opsdeck.interop.springconsul;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.consul.serviceregistry.ConsulRegistration;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * A plain Spring Boot service with Spring Cloud Consul discovery and config, for the opsdeck
 * interop tests: it registers itself with a TTL check and heartbeats, watches the catalog and its
 * KV configuration with blocking queries, and deregisters on exit, all through the library's own
 * code paths. It only reports what the library did.
 *
 * Protocol on stdout, one line each: READY {"instanceId","port"} once registered and started,
 * CATALOG {"index"} when the catalog watch sees a new index, CHANGED {"keys","greeting"} when the
 * config watch refreshed the environment. Commands on stdin: "instances NAME" answers INSTANCES,
 * "services" answers SERVICES, "config" answers CONFIG, "quit" stops the application (which
 * deregisters it). Failures print ERROR {"message"}.
 */
@SpringBootApplication
public class SpringConsulInterop {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DiscoveryClient discovery;
  private final ConsulRegistration registration;
  private final Environment env;

  public SpringConsulInterop(DiscoveryClient discovery, ConsulRegistration registration, Environment env) {
    this.discovery = discovery;
    this.registration = registration;
    this.env = env;
  }

  public static void main(String[] args) throws Exception {
    ConfigurableApplicationContext ctx = SpringApplication.run(SpringConsulInterop.class, args);
    SpringConsulInterop app = ctx.getBean(SpringConsulInterop.class);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.trim().split("\\s+");
      try {
        switch (words[0]) {
          case "instances" -> app.instances(words[1]);
          case "services" -> emit("SERVICES", Map.of("services", app.discovery.getServices()));
          case "config" -> emit("CONFIG", greeting(app.env));
          case "quit" -> {
            System.exit(SpringApplication.exit(ctx, () -> 0));
            return;
          }
          default -> emit("ERROR", Map.of("message", "unknown command " + line));
        }
      } catch (Exception e) {
        emit("ERROR", Map.of("message", String.valueOf(e)));
      }
    }
    System.exit(SpringApplication.exit(ctx, () -> 0));
  }

  private void instances(String service) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ServiceInstance i : discovery.getInstances(service)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("instanceId", i.getInstanceId());
      m.put("host", i.getHost());
      m.put("port", i.getPort());
      m.put("metadata", i.getMetadata());
      out.add(m);
    }
    emit("INSTANCES", Map.of("service", service, "instances", out));
  }

  @EventListener
  public void ready(ApplicationReadyEvent event) {
    int port = ((WebServerApplicationContext) event.getApplicationContext()).getWebServer().getPort();
    emit("READY", Map.of("instanceId", registration.getInstanceId(), "port", port));
  }

  @EventListener
  public void catalog(HeartbeatEvent event) {
    emit("CATALOG", Map.of("index", String.valueOf(event.getValue())));
  }

  @EventListener
  public void changed(EnvironmentChangeEvent event) {
    Map<String, Object> m = new LinkedHashMap<>(greeting(env));
    m.put("keys", new ArrayList<>(event.getKeys()));
    emit("CHANGED", m);
  }

  private static Map<String, Object> greeting(Environment env) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("greeting", env.getProperty("opsdeck.greeting"));
    return m;
  }

  static synchronized void emit(String tag, Object data) {
    try {
      System.out.println(tag + " " + JSON.writeValueAsString(data));
      System.out.flush();
    } catch (Exception e) {
      System.out.println("ERROR {\"message\":\"could not write " + tag + "\"}");
    }
  }
}
