package org.planetarymesh.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The push-mode address forms, normalised by {@link AgentAddress}, and the ones it refuses. */
class AgentAddressTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # registered address          | base URL
            :8081                         | http://localhost:8081
            host:8081                     | http://host:8081
            http://host:8081              | http://host:8081
            https://host:8443             | https://host:8443
            agent-1.example.com:9000      | http://agent-1.example.com:9000
            192.168.1.10:8081             | http://192.168.1.10:8081
            [::1]:8081                    | http://[::1]:8081
            [fe80::1:2]:65535             | http://[fe80::1:2]:65535
            host:1                        | http://host:1
            "  host:8081  "               | http://host:8081
            http://host                   | http://host
            http://[::1]:8081             | http://[::1]:8081
            https://host:8443/agent       | https://host:8443/agent
            """)
    void seed001AddressesBecomeBaseUrls(String address, String baseUrl) {
        assertThat(AgentAddress.normalize(address)).isEqualTo(baseUrl);
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # address           | why it is refused
            ""                  | it is empty
            "   "               | it is empty
            host                | expected :PORT, HOST:PORT or http(s)://HOST:PORT
            :abc                | expected :PORT, HOST:PORT or http(s)://HOST:PORT
            host:               | expected :PORT, HOST:PORT or http(s)://HOST:PORT
            host :80            | expected :PORT, HOST:PORT or http(s)://HOST:PORT
            host:123456         | expected :PORT, HOST:PORT or http(s)://HOST:PORT
            ::1:8081            | expected :PORT, HOST:PORT or http(s)://HOST:PORT
            host_name:80        | expected :PORT, HOST:PORT or http(s)://HOST:PORT
            host:0              | port 0 is outside 1..65535
            host:70000          | port 70000 is outside 1..65535
            [::1]:0             | port 0 is outside 1..65535
            ftp://x             | only http and https are supported
            ws://host:8081      | only http and https are supported
            http://             | the URL has no host
            https://:8443       | the URL has no host
            http://host:0       | port 0 is outside 1..65535
            http://host:70000   | port 70000 is outside 1..65535
            http://ho st:80     | it is not a valid URL (Illegal character in authority)
            """)
    void anythingElseIsRefusedSayingWhy(String address, String why) {
        assertThatThrownBy(() -> AgentAddress.normalize(address))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid node address '" + address + "': " + why);
    }

    @Test
    void noAddressAtAllIsEmpty() {
        assertThatThrownBy(() -> AgentAddress.normalize(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid node address 'null': it is empty");
    }
}
