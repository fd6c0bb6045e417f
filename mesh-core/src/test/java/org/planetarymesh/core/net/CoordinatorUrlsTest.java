package org.planetarymesh.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoordinatorUrlsTest {

    @Test
    void aListIsNormalisedEntryByEntryWithoutDuplicates() {
        assertThat(CoordinatorUrls.normalize(" :7070, http://b:7071/ ,127.0.0.1:7072,http://b:7071"))
                .containsExactly("http://localhost:7070", "http://b:7071", "http://127.0.0.1:7072");
    }

    @Test
    void aWrongEntryIsNamedAndAnEmptyListRefused() {
        assertThatThrownBy(() -> CoordinatorUrls.normalize("http://a:7070,ftp://b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ftp://b");
        assertThatThrownBy(() -> CoordinatorUrls.normalize(" , ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedCoordinatorPassesTheTurnToTheNextAndRoundTheList() {
        CoordinatorUrls urls = CoordinatorUrls.parse("http://127.0.0.1:1,http://127.0.0.1:2,http://127.0.0.1:3");
        assertThat(urls.current()).isEqualTo("http://127.0.0.1:1");
        urls.failed("http://127.0.0.1:1");
        assertThat(urls.current()).isEqualTo("http://127.0.0.1:2");
        urls.failed("http://127.0.0.1:1"); // a late report about one already passed over changes nothing
        assertThat(urls.current()).isEqualTo("http://127.0.0.1:2");
        urls.failed("http://127.0.0.1:2");
        urls.failed("http://127.0.0.1:3");
        assertThat(urls.current()).isEqualTo("http://127.0.0.1:1");
    }

    @Test
    void theLeaderAStandbyNamesIsUsedNextWhetherListedOrNot() {
        CoordinatorUrls urls = CoordinatorUrls.parse("http://127.0.0.1:1,http://127.0.0.1:2");
        urls.leaderIs("http://127.0.0.1:2/");
        assertThat(urls.current()).isEqualTo("http://127.0.0.1:2");
        urls.leaderIs("http://127.0.0.1:9");
        assertThat(urls.current()).isEqualTo("http://127.0.0.1:9");
        urls.failed("http://127.0.0.1:9");
        assertThat(urls.current()).as("back to the list").isEqualTo("http://127.0.0.1:2");
    }

    @Test
    void addressesAndHttpsNamesAreNotExpanded() {
        assertThat(CoordinatorUrls.expand(List.of("http://127.0.0.1:7070", "https://localhost:7070")))
                .containsExactly("http://127.0.0.1:7070", "https://localhost:7070");
    }
}
