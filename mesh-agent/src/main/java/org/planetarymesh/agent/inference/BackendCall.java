package org.planetarymesh.agent.inference;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** The request in flight: its response, and the one way to abort it (cancel the exchange, close the body). */
final class BackendCall {
    private final CompletableFuture<HttpResponse<InputStream>> exchange;
    private final AtomicReference<InputStream> body = new AtomicReference<>();
    private final AtomicBoolean aborted = new AtomicBoolean();
    final AtomicBoolean timedOut = new AtomicBoolean();

    BackendCall(CompletableFuture<HttpResponse<InputStream>> exchange) {
        this.exchange = exchange;
    }

    HttpResponse<InputStream> response(Instant limit) throws IOException {
        try {
            long wait = Math.max(1, Duration.between(Instant.now(), limit).toMillis());
            HttpResponse<InputStream> response = exchange.get(wait, TimeUnit.MILLISECONDS);
            body.set(response.body());
            if (aborted.get()) {
                closeBody();
                throw new IOException("aborted before the backend answered");
            }
            return response;
        } catch (TimeoutException e) {
            timedOut.set(true);
            throw new HttpTimeoutException("no answer before " + limit);
        } catch (CancellationException e) {
            throw new IOException("aborted before the backend answered", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the backend", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    void timeOut() {
        timedOut.set(true);
        abort();
    }

    /** Cancels the exchange and closes the body: either closes the connection, so the backend sees it go. */
    void abort() {
        if (aborted.compareAndSet(false, true)) {
            exchange.cancel(true);
            closeBody();
        }
    }

    private void closeBody() {
        InputStream in = body.getAndSet(null);
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // Closing is all that is wanted.
            }
        }
    }
}
