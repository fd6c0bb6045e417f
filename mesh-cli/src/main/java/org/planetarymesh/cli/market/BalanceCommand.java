package org.planetarymesh.cli.market;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.planetarymesh.cli.ClientCommand;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.identity.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mesh balance [ACCOUNT] [--key FILE] [--new-key FILE]}: an account's credits. */
@Command(name = "balance", description = "An account's balance in credits (a did:key, platform:fees, platform:escrow).")
public final class BalanceCommand extends ClientCommand {

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "ACCOUNT",
            description = "The account (default: --key's did).")
    String account;

    @Option(names = "--key", paramLabel = "FILE", description = "A key file whose did:key is the account.")
    Path key;

    @Option(
            names = "--new-key",
            paramLabel = "FILE",
            description = "Create a new buyer key in FILE (mode 0600) and show its account.")
    Path newKey;

    @Override
    protected int run(MeshClient client) {
        String id = newKey != null ? SigningKey.loadOrCreate(newKey).did() : MarketCalls.account(account, key);
        JsonNode a = MarketCalls.call(client, "GET", "/v1/accounts/" + id, null);
        out().println(a.path("id").asText() + "  " + a.path("balance").asLong() + " credits");
        out().flush();
        return 0;
    }
}
