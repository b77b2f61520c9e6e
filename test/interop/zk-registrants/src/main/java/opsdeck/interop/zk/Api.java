package opsdeck.interop.zk;

/**
 * Holds a nested service interface: its binary name `opsdeck.interop.zk.Api$Echo` has a `$`, which
 * Dubbo URL-encodes in its ZooKeeper paths (and a console must decode).
 */
public final class Api {
  private Api() {}

  /** Exported without group or version. */
  public interface Echo {
    String echo(String text);
  }
}
