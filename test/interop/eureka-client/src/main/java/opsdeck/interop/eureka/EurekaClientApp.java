package opsdeck.interop.eureka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.netflix.appinfo.ApplicationInfoManager;
import com.netflix.appinfo.InstanceInfo;
import com.netflix.discovery.EurekaClient;
import com.netflix.discovery.shared.Application;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A service that registers itself with Eureka through Spring Cloud's auto-registration, as any
 * Spring Cloud service does. Two endpoints tell the tests what the application itself believes:
 * {@code /self} (its own instance: the status it reports, and the status the server holds for it
 * as the client last fetched it) and {@code /seen/{app}} (what its registry cache holds for an
 * application, as-is and as Spring's DiscoveryClient hands it to load balancers).
 */
@SpringBootApplication
@RestController
public class EurekaClientApp {
  private final ApplicationInfoManager infoManager;
  private final EurekaClient eurekaClient;
  private final DiscoveryClient discoveryClient;

  public EurekaClientApp(ApplicationInfoManager infoManager, EurekaClient eurekaClient, DiscoveryClient discoveryClient) {
    this.infoManager = infoManager;
    this.eurekaClient = eurekaClient;
    this.discoveryClient = discoveryClient;
  }

  public static void main(String[] args) {
    SpringApplication.run(EurekaClientApp.class, args);
  }

  @GetMapping("/self")
  public Map<String, Object> self() {
    InstanceInfo info = infoManager.getInfo();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("app", info.getAppName());
    out.put("instanceId", info.getInstanceId());
    // What the application reports about itself (it sends this on register and status updates).
    out.put("localStatus", String.valueOf(info.getStatus()));
    // The status the server holds for this instance, as of the client's last registry fetch.
    out.put("remoteStatus", String.valueOf(eurekaClient.getInstanceRemoteStatus()));
    out.put("metadata", info.getMetadata());
    out.put("lastDirtyTimestamp", info.getLastDirtyTimestamp());
    InstanceInfo fetched = null;
    Application app = eurekaClient.getApplication(info.getAppName());
    if (app != null) fetched = app.getByInstanceId(info.getInstanceId());
    out.put("fetched", fetched == null ? null : describe(fetched));
    return out;
  }

  @GetMapping("/seen/{app}")
  public Map<String, Object> seen(@PathVariable("app") String appName) {
    Map<String, Object> out = new LinkedHashMap<>();
    Application app = eurekaClient.getApplication(appName);
    List<Map<String, Object>> asIs = new ArrayList<>();
    if (app != null) for (InstanceInfo i : app.getInstancesAsIsFromEureka()) asIs.add(describe(i));
    out.put("registry", asIs);
    List<Map<String, Object>> usable = new ArrayList<>();
    for (ServiceInstance s : discoveryClient.getInstances(appName)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("instanceId", s.getInstanceId());
      m.put("host", s.getHost());
      m.put("port", s.getPort());
      m.put("metadata", s.getMetadata());
      usable.add(m);
    }
    // Spring's DiscoveryClient: only the instances a load balancer would send traffic to.
    out.put("discoveryClient", usable);
    return out;
  }

  private static Map<String, Object> describe(InstanceInfo i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("instanceId", i.getInstanceId());
    m.put("status", String.valueOf(i.getStatus()));
    m.put("overriddenStatus", String.valueOf(i.getOverriddenStatus()));
    m.put("metadata", i.getMetadata());
    return m;
  }
}
