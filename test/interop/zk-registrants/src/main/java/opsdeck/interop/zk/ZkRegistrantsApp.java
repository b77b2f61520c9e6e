package opsdeck.interop.zk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.cloud.zookeeper.serviceregistry.ServiceInstanceRegistration;
import org.springframework.cloud.zookeeper.serviceregistry.ZookeeperRegistration;
import org.springframework.cloud.zookeeper.serviceregistry.ZookeeperServiceRegistry;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Spring Cloud Zookeeper part (auto-registration under /services, configuration from /config
 * with the watcher on) plus the optional Dubbo and Curator registrants. Endpoints:
 * {@code /config?key=} the value the application holds now (after any refresh the watcher caused),
 * {@code /self} its own registration and the status Spring's registry reads back from ZooKeeper,
 * {@code /seen/{app}} what Spring's DiscoveryClient returns for a service, {@code /lb/{app}} the
 * instances Spring Cloud LoadBalancer would pick from (Spring Cloud Zookeeper's supplier drops those
 * whose {@code instance_status} is not UP),
 * {@code /dubbo} and {@code /curator} what those parts registered.
 */
@SpringBootApplication
@RestController
public class ZkRegistrantsApp {
  private final Environment env;
  private final DiscoveryClient discoveryClient;
  private final ObjectProvider<ZookeeperRegistration> registration;
  private final ObjectProvider<ZookeeperServiceRegistry> registry;
  private final ObjectProvider<DubboProvider> dubbo;
  private final ObjectProvider<CuratorRegistrant> curator;
  private final LoadBalancerClientFactory loadBalancers;

  public ZkRegistrantsApp(Environment env, DiscoveryClient discoveryClient, ObjectProvider<ZookeeperRegistration> registration,
      ObjectProvider<ZookeeperServiceRegistry> registry, ObjectProvider<DubboProvider> dubbo, ObjectProvider<CuratorRegistrant> curator,
      LoadBalancerClientFactory loadBalancers) {
    this.env = env;
    this.discoveryClient = discoveryClient;
    this.registration = registration;
    this.registry = registry;
    this.dubbo = dubbo;
    this.curator = curator;
    this.loadBalancers = loadBalancers;
  }

  public static void main(String[] args) {
    SpringApplication.run(ZkRegistrantsApp.class, args);
  }

  @GetMapping("/config")
  public Map<String, Object> config(@RequestParam("key") String key) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("key", key);
    out.put("value", env.getProperty(key));
    return out;
  }

  @GetMapping("/self")
  public Map<String, Object> self() {
    Map<String, Object> out = new LinkedHashMap<>();
    ZookeeperRegistration reg = registration.getIfAvailable();
    ZookeeperServiceRegistry reg2 = registry.getIfAvailable();
    if (reg != null) {
      out.put("serviceId", reg.getServiceId());
      // The Curator instance id: the last segment of /services/{app}/{id}.
      out.put("instanceId", reg instanceof ServiceInstanceRegistration sir ? sir.getServiceInstance().getId() : reg.getInstanceId());
      out.put("host", reg.getHost());
      out.put("port", reg.getPort());
      out.put("metadata", reg.getMetadata());
      // Spring's registry answers from the application's own copy of its registration, not from the
      // node: a status written to ZooKeeper by someone else does not show here.
      out.put("status", reg2 == null ? null : reg2.getStatus(reg));
    }
    return out;
  }

  @GetMapping("/seen/{app}")
  public List<Map<String, Object>> seen(@PathVariable("app") String app) {
    return describe(discoveryClient.getInstances(app));
  }

  @GetMapping("/lb/{app}")
  public List<Map<String, Object>> lb(@PathVariable("app") String app) {
    ServiceInstanceListSupplier supplier = loadBalancers.getInstance(app, ServiceInstanceListSupplier.class);
    List<ServiceInstance> got = supplier == null ? null : supplier.get().blockFirst(Duration.ofSeconds(10));
    return describe(got == null ? List.of() : got);
  }

  private static List<Map<String, Object>> describe(List<ServiceInstance> instances) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ServiceInstance s : instances) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("instanceId", s.getInstanceId());
      m.put("host", s.getHost());
      m.put("port", s.getPort());
      m.put("metadata", s.getMetadata());
      out.add(m);
    }
    return out;
  }

  @GetMapping("/dubbo")
  public Map<String, Object> dubbo() {
    DubboProvider d = dubbo.getIfAvailable();
    return d == null ? Map.of("enabled", false) : d.describe();
  }

  @GetMapping("/curator")
  public Map<String, Object> curator() throws Exception {
    CuratorRegistrant c = curator.getIfAvailable();
    return c == null ? Map.of("enabled", false) : c.describe();
  }
}
