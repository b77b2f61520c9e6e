package opsdeck.interop.zk;

/** The Dubbo service the provider exports with a group and a version. */
public interface GreetingService {
  String greet(String name);
}
