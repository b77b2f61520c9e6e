package opsdeck.interop.zk;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ConfigCenterConfig;
import org.apache.dubbo.config.MetadataReportConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A Dubbo 3 provider started through Dubbo's own bootstrap API (no Dubbo Spring integration, so
 * nothing else in the application changes). It registers with ZooKeeper in Dubbo 3's default mode,
 * `all`: interface-level nodes under /dubbo and an application-level instance under /services.
 * The address it registers comes from DUBBO_IP_TO_REGISTRY (the test sets 127.0.0.1).
 */
@Component
@ConditionalOnProperty(name = "opsdeck.dubbo.enabled", havingValue = "true")
public class DubboProvider implements DisposableBean {
  @Value("${opsdeck.dubbo.application}")
  private String application;

  @Value("${opsdeck.dubbo.port}")
  private int port;

  @Value("${opsdeck.zookeeper}")
  private String zookeeper;

  @Value("${opsdeck.session-ms:4000}")
  private int sessionMs;

  @Value("${opsdeck.dubbo.register-mode:all}")
  private String registerMode;

  private DubboBootstrap bootstrap;

  @EventListener(ApplicationReadyEvent.class)
  public void start() {
    ApplicationConfig app = new ApplicationConfig(application);
    // The QoS console would take port 22222 in every provider; two test JVMs would collide.
    app.setQosEnable(false);
    app.setRegisterMode(registerMode);
    RegistryConfig registry = new RegistryConfig("zookeeper://" + zookeeper);
    registry.setSession(sessionMs);
    // Dubbo keeps one ZooKeeper client per address, created by whichever part connects first: the
    // configuration centre and the metadata report (both on the registry by default) connect before
    // the interface-level registry and would give it their default 60 s session. Short sessions for
    // all of them, so a killed provider's nodes go as fast as the others'.
    Map<String, String> session = new HashMap<>();
    session.put("session", String.valueOf(sessionMs));
    ConfigCenterConfig configCenter = new ConfigCenterConfig();
    configCenter.setAddress("zookeeper://" + zookeeper);
    configCenter.setParameters(new HashMap<>(session));
    MetadataReportConfig metadataReport = new MetadataReportConfig("zookeeper://" + zookeeper);
    metadataReport.setParameters(new HashMap<>(session));
    ProtocolConfig protocol = new ProtocolConfig("dubbo", port);
    protocol.setHost("127.0.0.1");

    ServiceConfig<GreetingService> greeting = new ServiceConfig<>();
    greeting.setInterface(GreetingService.class);
    greeting.setRef(name -> "hello " + name);
    greeting.setGroup("g1");
    greeting.setVersion("1.0.0");

    ServiceConfig<Api.Echo> echo = new ServiceConfig<>();
    echo.setInterface(Api.Echo.class);
    echo.setRef(text -> text);

    bootstrap = DubboBootstrap.newInstance();
    bootstrap.application(app).configCenter(configCenter).metadataReport(metadataReport).registry(registry).protocol(protocol)
        .service(greeting).service(echo).start();
  }

  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("application", application);
    out.put("port", port);
    out.put("started", bootstrap != null && bootstrap.isStarted());
    out.put("interfaces", new String[] {GreetingService.class.getName(), Api.Echo.class.getName()});
    return out;
  }

  @Override
  public void destroy() {
    if (bootstrap != null) bootstrap.stop();
  }
}
