package org.planetarymesh.cli.market;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.planetarymesh.cli.ClientCommand;
import org.planetarymesh.cli.UserError;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.RawAnswer;
import org.planetarymesh.coordinator.market.X402;
import org.planetarymesh.core.identity.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mesh buy OFFERING --key FILE [--payload JSON] [--wait]}: the x402 round trip: ask, get the 402 and its
 * requirement, sign it with the buyer's key, pay; with {@code --wait}, follow the purchase until it settles.
 */
@Command(name = "buy", description = "Buy an offering: 402, sign the payment with your key, pay; --wait to settle.")
public final class BuyCommand extends ClientCommand {

    private static final long VALID_SECONDS = 120;

    @Parameters(index = "0", paramLabel = "OFFERING", description = "The offering id ('mesh offerings').")
    String offering;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "The buyer's key (it pays).")
    Path key;

    @Option(names = "--payload", paramLabel = "JSON", description = "The job's payload.")
    String payload;

    @Option(names = "--wait", description = "Wait until the purchase is COMPLETED, DISPUTED or refunded.")
    boolean await;

    @Option(names = "--timeout", defaultValue = "PT3M", description = "How long --wait waits (ISO-8601).")
    Duration timeout;

    @Override
    protected int run(MeshClient client) {
        SigningKey buyer = MarketCalls.key(key);
        String body = "{\"offering\":" + MarketCalls.json(offering)
                + (payload == null ? "" : ",\"payload\":" + MarketCalls.parse(payload)) + "}";
        RawAnswer asked = client.exchange("POST", "/v1/purchases", body, Map.of());
        if (asked.status() != 402) {
            MarketCalls.ok(asked);
            throw new UserError(
                    "unexpected_answer", "the coordinator did not ask for payment (HTTP " + asked.status() + ")");
        }
        JsonNode requirement = MarketCalls.parse(asked.body()).path("accepts").get(0);
        err().println("402: pay " + requirement.path("maxAmountRequired").asText() + " credits to "
                + requirement.path("payTo").asText() + " (fee "
                + requirement.path("extra").path("fee").asText()
                + ")");
        String payment = X402.payment(requirement, buyer, System.currentTimeMillis() / 1000, VALID_SECONDS);
        RawAnswer paid = client.exchange("POST", "/v1/purchases", body, Map.of(X402.PAYMENT_HEADER, payment));
        if (paid.status() == 402) {
            JsonNode refused = MarketCalls.parse(paid.body());
            throw new UserError(
                    refused.path("error").asText(), refused.path("message").asText());
        }
        JsonNode purchase = MarketCalls.ok(paid);
        String id = purchase.path("id").asText();
        err().println("paid: purchase " + id + " is " + purchase.path("status").asText());
        if (await) {
            purchase = PurchaseWait.until(client, id, timeout);
        }
        printJson(purchase);
        String status = purchase.path("status").asText();
        return status.equals("DISPUTED") || status.equals("EXPIRED") || status.equals("REJECTED") ? 1 : 0;
    }
}
