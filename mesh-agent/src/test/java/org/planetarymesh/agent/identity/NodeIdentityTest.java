package org.planetarymesh.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.core.identity.Base58;

class NodeIdentityTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void didKeyVectorsFromTheReference() {
        NodeIdentity zero = NodeIdentity.fromSeed(new byte[32]);
        assertThat(HEX.formatHex(zero.rawPublicKey()))
                .isEqualTo("3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29");
        assertThat(zero.nodeId()).isEqualTo("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp");

        byte[] one = new byte[32];
        one[31] = 1;
        NodeIdentity oneId = NodeIdentity.fromSeed(one);
        assertThat(HEX.formatHex(oneId.rawPublicKey()))
                .isEqualTo("4cb5abf6ad79fbf5abbccafcc269d85cd2651ed4b885b5869f241aedf0a5ba29");
        assertThat(oneId.nodeId()).isEqualTo("did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG");
    }

    @Test
    void rfc8032Test1Signature() {
        NodeIdentity id =
                NodeIdentity.fromSeed(HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertThat(HEX.formatHex(id.rawPublicKey()))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assertThat(HEX.formatHex(id.sign(new byte[0])))
                .isEqualTo("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
                        + "701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    }

    @Test
    void keyFileIsCreatedOwnerOnlyAndReused(@TempDir Path dataDir) throws Exception {
        NodeIdentity first = NodeIdentity.loadOrCreate(dataDir);
        Path key = dataDir.resolve("identity").resolve(NodeIdentity.KEY_FILE);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(Files.size(key)).isEqualTo(48);
        assertThat(first.nodeId()).startsWith("did:key:z6Mk");
        assertThat(NodeIdentity.loadOrCreate(dataDir).nodeId()).isEqualTo(first.nodeId());
    }

    @Test
    void base58KeepsLeadingZeros() {
        assertThat(Base58.encode(new byte[] {0, 0, 1})).isEqualTo("112");
        assertThat(Base58.encode("hello world".getBytes())).isEqualTo("StV1DL6CwTryKyV");
    }
}
