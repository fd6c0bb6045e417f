package org.planetarymesh.cli.market;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.planetarymesh.cli.ClientCommand;
import org.planetarymesh.client.MeshClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mesh ledger [ACCOUNT] [--key FILE] [--limit N]}: an account's entries, newest first. */
@Command(name = "ledger", description = "An account's ledger: every credit in or out, newest first.")
public final class LedgerCommand extends ClientCommand {

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "ACCOUNT",
            description = "The account (default: --key's did).")
    String account;

    @Option(names = "--key", paramLabel = "FILE", description = "A key file whose did:key is the account.")
    Path key;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many entries (1..1000).")
    int limit;

    @Override
    protected int run(MeshClient client) {
        String id = MarketCalls.account(account, key);
        JsonNode answer = MarketCalls.call(client, "GET", "/v1/accounts/" + id + "/ledger?limit=" + limit, null);
        out().println(answer.path("account").path("id").asText() + "  balance "
                + answer.path("account").path("balance").asLong());
        out().printf("%-6s %-25s %-8s %12s  %s%n", "SEQ", "AT", "KIND", "AMOUNT", "PURCHASE");
        for (JsonNode e : answer.path("entries")) {
            out().printf(
                            "%-6d %-25s %-8s %+12d  %s%n",
                            e.path("seq").asLong(),
                            e.path("at").asText(),
                            e.path("kind").asText(),
                            e.path("amount").asLong(),
                            e.path("purchase_id").asText("-"));
        }
        out().flush();
        return 0;
    }
}
