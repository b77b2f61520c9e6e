package opsdeck.interop.nacos;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.PropertyKeyConst;
import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.config.listener.AbstractListener;
import com.alibaba.nacos.api.naming.NamingService;
import com.alibaba.nacos.api.naming.listener.NamingEvent;
import com.alibaba.nacos.api.naming.pojo.Instance;
import com.alibaba.nacos.api.utils.NetUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An application's view of Nacos through the real Java client (gRPC). Arguments: server address
 * (host:port of the HTTP port; the client adds 1000 for gRPC), namespace id, username, password.
 *
 * <p>Commands, one per stdin line, {@code NAME {json}}; each answers with one line
 * {@code TAG {json}} on stdout, or {@code ERROR {"command":...,"message":...}}:
 * <ul>
 *   <li>{@code register {"service","group","ip","port","metadata"}}: an ephemeral instance, as a
 *       service registers itself; answers {@code REGISTERED}.</li>
 *   <li>{@code subscribe {"service","group"}}: answers {@code SUBSCRIBED}; then every push of the
 *       service to this client is printed as {@code INSTANCES {"service","group","instances":[...]}}.</li>
 *   <li>{@code select {"service","group"}}: what a load balancer asks the client for (healthy
 *       instances from the subscription); answers {@code SELECTED {"instances":[...]}}.</li>
 *   <li>{@code listen {"dataId","group"}}: reads the config and adds a listener; answers
 *       {@code LISTENING {"dataId","group","content"}}; then every change the listener receives is
 *       printed as {@code CONFIG {"dataId","group","content"}}.</li>
 *   <li>{@code populate {"services","instances","prefix","group","threads"}}: registers that many
 *       services ({@code prefix00000}...), each with its ephemeral instances in one batch; answers
 *       {@code POPULATED {"ms"}} (for bench/nacos-services.mjs).</li>
 *   <li>{@code quit}: deregisters (shutdown of the client) and exits. End of stdin does the same, so
 *       the JVM never outlives the test that started it.</li>
 * </ul>
 * At start it prints {@code READY {"clientIp":...}}: the address the client reports to the server
 * (what the server shows as this client's IP in its listener and subscriber lists).
 */
public final class NacosClientInterop {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NacosClientInterop() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: java -jar nacos-client-interop.jar SERVER_ADDR NAMESPACE USERNAME PASSWORD");
      System.exit(2);
    }
    Properties p = new Properties();
    p.setProperty(PropertyKeyConst.SERVER_ADDR, args[0]);
    p.setProperty(PropertyKeyConst.NAMESPACE, args[1]);
    p.setProperty(PropertyKeyConst.USERNAME, args[2]);
    p.setProperty(PropertyKeyConst.PASSWORD, args[3]);
    NamingService naming = NacosFactory.createNamingService(p);
    ConfigService config = NacosFactory.createConfigService(p);
    emit("READY", Map.of("clientIp", NetUtils.localIP(), "namingStatus", naming.getServerStatus(), "configStatus", config.getServerStatus()));

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      line = line.trim();
      if (line.isEmpty()) continue;
      int sp = line.indexOf(' ');
      String cmd = sp < 0 ? line : line.substring(0, sp);
      if (cmd.equals("quit")) break;
      try {
        JsonNode a = JSON.readTree(sp < 0 ? "{}" : line.substring(sp + 1));
        handle(naming, config, cmd, a);
      } catch (Exception e) {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("command", cmd);
        err.put("message", String.valueOf(e));
        emit("ERROR", err);
      }
    }
    naming.shutDown();
    config.shutDown();
    System.exit(0);
  }

  private static void handle(NamingService naming, ConfigService config, String cmd, JsonNode a) throws Exception {
    switch (cmd) {
      case "register": {
        Instance i = new Instance();
        i.setIp(a.get("ip").asText());
        i.setPort(a.get("port").asInt());
        i.setEphemeral(true);
        Map<String, String> meta = new LinkedHashMap<>();
        a.path("metadata").fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
        i.setMetadata(meta);
        naming.registerInstance(a.get("service").asText(), a.get("group").asText(), i);
        emit("REGISTERED", Map.of("service", a.get("service").asText()));
        break;
      }
      case "subscribe": {
        String service = a.get("service").asText();
        String group = a.get("group").asText();
        naming.subscribe(service, group, event -> {
          if (!(event instanceof NamingEvent)) return;
          NamingEvent ne = (NamingEvent) event;
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("service", ne.getServiceName());
          out.put("group", ne.getGroupName());
          out.put("instances", views(ne.getInstances()));
          emit("INSTANCES", out);
        });
        emit("SUBSCRIBED", Map.of("service", service));
        break;
      }
      case "select": {
        List<Instance> got = naming.selectInstances(a.get("service").asText(), a.get("group").asText(), true, true);
        emit("SELECTED", Map.of("instances", views(got)));
        break;
      }
      case "listen": {
        String dataId = a.get("dataId").asText();
        String group = a.get("group").asText();
        String content = config.getConfigAndSignListener(dataId, group, 10_000, new AbstractListener() {
          @Override
          public void receiveConfigInfo(String changed) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("dataId", dataId);
            out.put("group", group);
            out.put("content", changed);
            emit("CONFIG", out);
          }
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataId", dataId);
        out.put("group", group);
        out.put("content", content);
        emit("LISTENING", out);
        break;
      }
      case "populate": {
        // For bench/nacos-services.mjs: many services at once, each with its instances in one
        // batch request. Ephemeral instances live as long as this client's connection, need no
        // heartbeats and are not health-checked by the server.
        int services = a.get("services").asInt();
        int instances = a.get("instances").asInt();
        String prefix = a.get("prefix").asText();
        String group = a.path("group").asText("DEFAULT_GROUP");
        long t0 = System.nanoTime();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(a.path("threads").asInt(8));
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int s = 0; s < services; s++) {
          final int n = s;
          done.add(pool.submit(() -> {
            List<Instance> batch = new ArrayList<>();
            for (int k = 0; k < instances; k++) {
              Instance i = new Instance();
              i.setIp("127.10." + ((n >> 8) & 255) + "." + (n & 255));
              i.setPort(20000 + k);
              i.setEphemeral(true);
              i.setMetadata(Map.of("version", "1.0.0", "zone", "z" + k));
              batch.add(i);
            }
            naming.batchRegisterInstance(String.format("%s%05d", prefix, n), group, batch);
            return null;
          }));
        }
        for (java.util.concurrent.Future<?> f : done) f.get();
        pool.shutdown();
        emit("POPULATED", Map.of("services", services, "instances", instances, "ms", (System.nanoTime() - t0) / 1_000_000));
        break;
      }
      default:
        throw new IllegalArgumentException("unknown command " + cmd);
    }
  }

  private static List<Map<String, Object>> views(List<Instance> instances) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Instance i : instances) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("instanceId", i.getInstanceId());
      v.put("ip", i.getIp());
      v.put("port", i.getPort());
      v.put("weight", i.getWeight());
      v.put("healthy", i.isHealthy());
      v.put("enabled", i.isEnabled());
      v.put("ephemeral", i.isEphemeral());
      v.put("clusterName", i.getClusterName());
      v.put("metadata", i.getMetadata());
      out.add(v);
    }
    return out;
  }

  /** One protocol line; listener threads and the command loop print through here, one line at a time. */
  static synchronized void emit(String tag, Object data) {
    try {
      System.out.println(tag + " " + JSON.writeValueAsString(data));
      System.out.flush();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
