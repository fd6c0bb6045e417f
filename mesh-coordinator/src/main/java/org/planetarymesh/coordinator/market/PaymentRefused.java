package org.planetarymesh.coordinator.market;

/**
 * A payment the coordinator will not take, with a stable code ({@code invalid_payment}, {@code invalid_signature},
 * {@code payment_expired}, {@code payment_mismatch}, {@code payment_replayed}, {@code insufficient_balance}) and a
 * message that says what to fix. Nothing moved.
 */
public final class PaymentRefused extends RuntimeException {

    private final String code;

    public PaymentRefused(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
