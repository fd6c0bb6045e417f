package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.api.ApiServer;

/**
 * Clients that are slow on purpose or by accident hold bounded resources: headers trickled a byte at a time are cut
 * off after {@link ApiServer#MAX_HEADER_TIME}, a body declared larger than the limit is refused at once (not after
 * the idle timeout), and an event stream whose reader stalls holds a bounded number of bytes, then ends saying why.
 */
class SlowClientsTest {

    @TempDir
    Path dir;

    private static Socket connect(Coordinator c) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", c.port()), 5_000);
        return socket;
    }

    @Test
    void headersTrickledAByteAtATimeAreCutOffAfterTheLimit() throws Exception {
        try (Coordinator c = TestCoordinator.start(dir);
                Socket socket = connect(c)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
            socket.setSoTimeout(500); // the pace: one byte each time a read finds nothing for 500 ms
            long start = System.nanoTime();
            boolean cut = false;
            // Bounded: at most 60 bytes, 30 s.
            for (int i = 0; i < 60 && !cut; i++) {
                try {
                    out.write('a');
                    out.flush();
                    cut = in.read() < 0; // the server closed (or, wrongly, answered)
                } catch (SocketTimeoutException e) {
                    // still open: send the next byte
                } catch (IOException e) {
                    cut = true; // reset by the server
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(cut)
                    .as("connection still open after %s of trickled headers", took)
                    .isTrue();
            assertThat(took)
                    .isBetween(ApiServer.MAX_HEADER_TIME.minusSeconds(1), ApiServer.MAX_HEADER_TIME.plusSeconds(5));
            // Other clients were served throughout, and still are.
            assertThat(TestCoordinator.get(c, "/healthz").status()).isEqualTo(200);
        }
    }

    @Test
    void aDeclaredBodyOverTheLimitIsRefusedAtOnce() throws Exception {
        try (Coordinator c = TestCoordinator.start(dir);
                Socket socket = connect(c)) {
            socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            socket.getOutputStream()
                    .write(("POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + c.adminToken()
                                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\n\r\n{\"type\":")
                            .getBytes(StandardCharsets.ISO_8859_1));
            String answer = readUntilClosed(socket.getInputStream());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(answer)
                    .startsWith("HTTP/1.1 413")
                    .contains("body_too_large")
                    .contains("1000000000000");
            assertThat(took).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aStalledEventReaderHoldsBoundedBytesAndIsEndedWithAReason() throws Exception {
        String payload = "{\"blob\":\"" + "x".repeat(256 * 1024) + "\"}";
        int jobs = 60; // each ended job carries its payload twice (payload and result): about 30 MiB in all
        try (Coordinator c = TestCoordinator.start(dir);
                ProtocolAgent agent = ProtocolAgent.connect(c, "node-a", List.of("echo"), 4, ProtocolAgent::echo);
                Socket reader = connect(c)) {
            TestCoordinator.awaitNodes(c, 1);
            reader.setSoTimeout(10_000);
            reader.getOutputStream()
                    .write(("GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + c.adminToken()
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = reader.getInputStream();
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            while (!seen.toString(StandardCharsets.UTF_8).contains("event: ready")) {
                int n = in.read();
                assertThat(n).as("stream ended before ready").isNotNegative();
                seen.write(n);
            }
            // Then the reader stalls while every job ends.
            for (int batch = 0; batch < jobs / 10; batch++) {
                StringBuilder body = new StringBuilder("{\"jobs\":[");
                for (int i = 0; i < 10; i++) {
                    body.append(i == 0 ? "" : ",")
                            .append("{\"type\":\"echo\",\"payload\":")
                            .append(payload)
                            .append('}');
                }
                assertThat(TestCoordinator.post(
                                        c, "/v1/jobs/batch", body.append("]}").toString())
                                .status())
                        .isEqualTo(201);
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> c.scheduler().counts().getOrDefault(org.planetarymesh.core.job.JobStatus.COMPLETED, 0L)
                            == jobs);
            assertThat(ApiServer.bufferedEventBytes()).isLessThanOrEqualTo((8L << 20) + (1L << 20));

            // Reading again, the reader gets what was sent before it fell behind, then the reason, then the end.
            String rest = readUntilClosed(in);
            int ends = rest.split("event: end", -1).length - 1;
            assertThat(rest).contains(": closed: this reader is too slow");
            assertThat(ends).isLessThan(jobs);
            await().atMost(Duration.ofSeconds(10)).until(() -> ApiServer.bufferedEventBytes() == 0);
        }
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[65_536];
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        // Bounded by the socket timeout per read and the overall deadline.
        for (int n = in.read(buffer); n >= 0 && System.nanoTime() < deadline; n = in.read(buffer)) {
            all.write(buffer, 0, n);
        }
        return all.toString(StandardCharsets.UTF_8);
    }
}
