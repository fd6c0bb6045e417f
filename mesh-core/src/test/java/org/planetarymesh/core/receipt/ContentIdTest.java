package org.planetarymesh.core.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.identity.DidKey;
import org.planetarymesh.core.identity.Ed25519;
import org.planetarymesh.core.identity.SigningKey;

/** CIDv1, RFC 8785 and did:key against the published vectors in REFERENCE.md. */
class ContentIdTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void cidsMatchTheVectors() {
        assertThat(Cid.of(Cid.Codec.RAW, new byte[0]))
                .isEqualTo("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
        assertThat(Cid.of(Cid.Codec.RAW, utf8("hello world")))
                .isEqualTo("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");
        assertThat(Cid.of(Cid.Codec.JSON, utf8("{}")))
                .isEqualTo("bagaaieraiqjw7i2vwntyuekgvulpp2det2kpwt6cd7tx5ayqybqpmhfk76fa");
    }

    @Test
    void base32RoundTripsEveryLength() {
        Random random = new Random(7);
        for (int length = 0; length < 70; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            assertThat(Base32.decode(Base32.encode(bytes))).isEqualTo(bytes);
        }
    }

    @Test
    void parseAcceptsOwnCidsAndRefusesOthers() {
        String cid = Cid.of(Cid.Codec.JSON, utf8("{}"));
        assertThat(Cid.parse(cid)).hasSize(37); // 01, json 80 04, 12 20, digest
        assertThatThrownBy(() -> Cid.parse("z" + cid.substring(1))).hasMessageContaining("must start with 'b'");
        assertThatThrownBy(() -> Cid.parse(cid.substring(0, cid.length() - 2))).hasMessageContaining("sha2-256");
        assertThatThrownBy(() -> Cid.parse(cid.replace('a', '1'))).hasMessageContaining("not base32");
    }

    @Test
    void canonicalJsonMatchesTheRfcSample() {
        String input = "{\"numbers\":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"
                + "\"string\":\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\","
                + "\"literals\":[null,true,false]}";
        byte[] canonical = Canonical.of(input);
        assertThat(new String(canonical, StandardCharsets.UTF_8))
                .isEqualTo("{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                        + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
        assertThat(canonical).hasSize(118);
        assertThat(HexFormat.of().formatHex(Cid.sha256(canonical)))
                .isEqualTo("2d5e01a318d0f0879ab568c4be289c8b1f64ef8921a53c6277d5e069978baacb");
    }

    @Test
    void didKeysMatchTheVectorsBothWays() {
        byte[] zero = new byte[32];
        byte[] one = new byte[32];
        one[31] = 1;
        SigningKey a = SigningKey.fromSeed(zero);
        SigningKey b = SigningKey.fromSeed(one);
        assertThat(a.did()).isEqualTo("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp");
        assertThat(b.did()).isEqualTo("did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG");
        assertThat(HexFormat.of().formatHex(DidKey.toEd25519(a.did())))
                .isEqualTo("3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29");
        assertThat(HexFormat.of().formatHex(DidKey.toEd25519(b.did())))
                .isEqualTo("4cb5abf6ad79fbf5abbccafcc269d85cd2651ed4b885b5869f241aedf0a5ba29");
        assertThatThrownBy(() -> DidKey.toEd25519("did:web:example.com")).hasMessageContaining("did:key");
        assertThatThrownBy(() -> DidKey.toEd25519("did:key:z6Mk0")).hasMessageContaining("not base58btc");
    }

    @Test
    void signaturesMatchRfc8032TestOne() {
        HexFormat hex = HexFormat.of();
        SigningKey key =
                SigningKey.fromSeed(hex.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertThat(hex.formatHex(key.rawPublicKey()))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        byte[] signature = key.sign(new byte[0]);
        assertThat(hex.formatHex(signature))
                .isEqualTo("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701"
                        + "cf9b46bd25bf5f0595bbe24655141438e7a100b");
        assertThat(Ed25519.verifies(key.rawPublicKey(), new byte[0], signature)).isTrue();
        assertThat(Ed25519.verifies(key.rawPublicKey(), new byte[] {0}, signature))
                .isFalse();
    }
}
