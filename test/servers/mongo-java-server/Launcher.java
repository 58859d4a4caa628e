import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * Runs mongo-java-server's in-memory backend for djongoose's test harness.
 *
 * <p>Its newest built-in version, ServerVersion.MONGO_5_0, reports wire version 8, which the
 * Node driver 7 refuses, so this launcher reports its own version (see {@link WireVersion}).
 *
 * <p>It prints one line, "READY mongodb://host:port/ version", once bound, and exits when its
 * standard input closes, so a test run that dies never leaves a server behind.
 */
public final class Launcher {

    /** A server version the current Node driver accepts. */
    static final class WireVersion implements MongoVersion {
        private final List<Integer> versionArray;
        private final int wireVersion;

        WireVersion(List<Integer> versionArray, int wireVersion) {
            this.versionArray = versionArray;
            this.wireVersion = wireVersion;
        }

        @Override
        public List<Integer> getVersionArray() {
            return versionArray;
        }

        @Override
        public int getWireVersion() {
            return wireVersion;
        }
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 0;
        int wire = 9;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--wire-version" -> wire = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("mongo-java-server launcher: unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }

        MemoryBackend backend = new MemoryBackend();
        MongoVersion version = new WireVersion(List.of(4, 4, 0), wire);
        backend.version(version);
        MongoServer server = new MongoServer(backend);
        server.bind(new InetSocketAddress(host, port));
        InetSocketAddress bound = server.getLocalAddress();

        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        String pkg = MongoServer.class.getPackage().getImplementationVersion();
        System.out.println("READY mongodb://" + bound.getHostString() + ":" + bound.getPort() + "/ "
                + (pkg == null ? "unknown" : pkg) + " wire=" + wire);
        System.out.flush();

        // The harness holds our stdin open; EOF means it has gone.
        InputStream in = System.in;
        byte[] buf = new byte[256];
        while (in.read(buf) >= 0) {
            // discard
        }
        server.shutdownNow();
        System.exit(0);
    }
}
