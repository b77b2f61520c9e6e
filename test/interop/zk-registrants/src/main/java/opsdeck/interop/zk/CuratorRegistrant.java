package opsdeck.interop.zk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceProvider;
import org.apache.curator.x.discovery.UriSpec;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * An application that registers with plain curator-x-discovery, as services without Spring Cloud
 * do: its own Curator client and session, a base path of its choosing, a map as the payload.
 */
@Component
@ConditionalOnProperty(name = "opsdeck.curator.enabled", havingValue = "true")
public class CuratorRegistrant implements DisposableBean {
  @Value("${opsdeck.zookeeper}")
  private String zookeeper;

  @Value("${opsdeck.session-ms:4000}")
  private int sessionMs;

  @Value("${opsdeck.curator.base-path}")
  private String basePath;

  @Value("${opsdeck.curator.service}")
  private String service;

  @Value("${opsdeck.curator.id}")
  private String id;

  @Value("${opsdeck.curator.port}")
  private int port;

  private CuratorFramework client;
  private ServiceDiscovery<Map> discovery;
  private ServiceInstance<Map> instance;
  private ServiceProvider<Map> provider;

  @EventListener(ApplicationReadyEvent.class)
  public void start() throws Exception {
    client = CuratorFrameworkFactory.newClient(zookeeper, sessionMs, 15_000, new ExponentialBackoffRetry(200, 5));
    client.start();
    Map<String, String> payload = new LinkedHashMap<>();
    payload.put("zone", "z1");
    payload.put("weight", "3");
    instance = ServiceInstance.<Map>builder()
        .name(service)
        .id(id)
        .address("127.0.0.1")
        .port(port)
        .payload(payload)
        .uriSpec(new UriSpec("{scheme}://{address}:{port}"))
        .build();
    discovery = ServiceDiscoveryBuilder.builder(Map.class)
        .client(client)
        .basePath(basePath)
        .serializer(new JsonInstanceSerializer<>(Map.class))
        .thisInstance(instance)
        .build();
    discovery.start();
    provider = discovery.serviceProviderBuilder().serviceName(service).build();
    provider.start();
  }

  public Map<String, Object> describe() throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("basePath", basePath);
    out.put("service", service);
    out.put("id", id);
    out.put("registered", discovery != null);
    // What a Curator consumer in this process reads back for the service (enabled flag included).
    Map<String, Object> seen = new LinkedHashMap<>();
    if (discovery != null) {
      for (ServiceInstance<Map> i : discovery.queryForInstances(service)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", i.getAddress());
        m.put("port", i.getPort());
        m.put("enabled", i.isEnabled());
        m.put("payload", i.getPayload());
        seen.put(i.getId(), m);
      }
    }
    out.put("seen", seen);
    // What a Curator ServiceProvider (the consumer-side API) offers: it leaves out disabled instances.
    List<String> offered = new ArrayList<>();
    if (provider != null) for (ServiceInstance<Map> i : provider.getAllInstances()) offered.add(i.getId());
    out.put("provider", offered);
    return out;
  }

  @Override
  public void destroy() throws Exception {
    if (provider != null) provider.close();
    if (discovery != null) discovery.close();
    if (client != null) client.close();
  }
}
