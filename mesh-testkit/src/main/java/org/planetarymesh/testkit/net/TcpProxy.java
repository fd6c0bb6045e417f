package org.planetarymesh.testkit.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on a loopback port in front of a loopback server, for tests that must see what happens on the wire: it
 * records each connection and whether the client hung up in the middle of a chunked answer
 * ({@link Connection#abortedByClient()}, as a cancelled streaming request does), and can slow the server's answer down
 * ({@link #throttle}) so that a fast server's stream lasts long enough to be cut mid-way. Closing one side closes the
 * other, so the server behind it sees the client's hang-up.
 */
public final class TcpProxy implements AutoCloseable {
    private static final int CHUNK = 512;

    private final ServerSocket listener;
    private final int targetPort;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile long throttleNanos;

    private TcpProxy(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
    }

    /** Listens on a free loopback port and forwards every connection to {@code 127.0.0.1:targetPort}. */
    public static TcpProxy start(int targetPort) {
        try {
            ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            TcpProxy proxy = new TcpProxy(listener, targetPort);
            Thread.ofVirtual().name("tcp-proxy-accept").start(proxy::acceptLoop);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The proxy's port. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Waits {@code perChunk} before passing on each piece (at most 512 bytes) of the server's answer; zero for none. */
    public void throttle(Duration perChunk) {
        throttleNanos = perChunk.toNanos();
    }

    /** Every connection so far, in the order they were accepted. */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(server);
                Connection connection = new Connection();
                connections.add(connection);
                Thread.ofVirtual().start(() -> clientToServer(connection, client, server));
                Thread.ofVirtual().start(() -> serverToClient(connection, client, server));
            } catch (IOException e) {
                // Closed, or the target refused the connection: the client's socket is then closed by its owner.
            }
        }
    }

    private void clientToServer(Connection connection, Socket client, Socket server) {
        try (InputStream in = client.getInputStream();
                OutputStream out = server.getOutputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                connection.fromClient(buffer, n);
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // A reset counts as the client hanging up too.
        } finally {
            connection.clientClosed();
            closeQuietly(server);
            closeQuietly(client);
        }
    }

    private void serverToClient(Connection connection, Socket client, Socket server) {
        try (InputStream in = server.getInputStream();
                OutputStream out = client.getOutputStream()) {
            byte[] buffer = new byte[CHUNK];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                long pause = throttleNanos;
                if (pause > 0) {
                    LockSupport.parkNanos(pause);
                }
                out.write(buffer, 0, n);
                out.flush();
                connection.forwarded(buffer, n);
            }
        } catch (IOException e) {
            // The client went away while the server was still answering.
        } finally {
            connection.serverClosed();
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing to do.
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // Nothing to do.
        }
        sockets.forEach(TcpProxy::closeQuietly);
    }

    /**
     * One proxied connection and how it ended. An HTTP/1.1 answer streamed in chunks ends with the empty chunk
     * {@code 0\r\n\r\n}; a client that hangs up after sending a request and before that end aborted it. Only
     * chunked answers are told apart this way (streams are), so look at the connection whose {@link #lastRequest()} is
     * the streaming one.
     */
    public static final class Connection {
        private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};
        private final byte[] tail = new byte[LAST_CHUNK.length];
        private volatile boolean clientClosed;
        private volatile boolean serverClosed;
        private volatile boolean aborted;
        private volatile boolean answering;
        private volatile String lastRequest = "";
        volatile long bytesFromClient;
        volatile long bytesToClient;

        private synchronized void fromClient(byte[] buffer, int n) {
            bytesFromClient += n;
            String start = new String(buffer, 0, Math.min(n, 200), java.nio.charset.StandardCharsets.ISO_8859_1);
            if (start.matches("(?s)^(GET|POST|PUT|DELETE|HEAD|PATCH|OPTIONS) \\S+ HTTP/1\\.[01]\r\n.*")) {
                lastRequest = start.substring(0, start.indexOf(" HTTP/1."));
                answering = true;
            }
        }

        private synchronized void forwarded(byte[] buffer, int n) {
            bytesToClient += n;
            int keep = Math.min(n, tail.length);
            System.arraycopy(tail, keep, tail, 0, tail.length - keep);
            System.arraycopy(buffer, n - keep, tail, tail.length - keep, keep);
            answering = !java.util.Arrays.equals(tail, LAST_CHUNK);
        }

        private synchronized void clientClosed() {
            if (!clientClosed && !serverClosed && answering) {
                aborted = true;
            }
            clientClosed = true;
        }

        private synchronized void serverClosed() {
            serverClosed = true;
        }

        /** Whether either side has closed it. */
        public boolean closed() {
            return clientClosed || serverClosed;
        }

        /** Whether the client hung up before the chunked answer to its last request ended (an aborted stream). */
        public boolean abortedByClient() {
            return aborted;
        }

        /** The method and path of the last request on it, e.g. {@code POST /v1/chat/completions}. */
        public String lastRequest() {
            return lastRequest;
        }

        /** Whether the client has closed its side. */
        public boolean closedByClient() {
            return clientClosed;
        }

        /** Bytes of the server's answer passed on to the client so far. */
        public long bytesToClient() {
            return bytesToClient;
        }

        /** Bytes the client sent so far. */
        public long bytesFromClient() {
            return bytesFromClient;
        }

        @Override
        public String toString() {
            return "Connection[clientClosed=" + clientClosed + ", serverClosed=" + serverClosed + ", aborted=" + aborted
                    + ", last=" + lastRequest + ", toClient=" + bytesToClient + "]";
        }
    }
}
