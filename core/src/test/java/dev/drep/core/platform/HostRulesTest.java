package dev.drep.core.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The host rules with every allowance off, against a fixed DNS table. */
class HostRulesTest {
    private static final Map<String, String> DNS = Map.of(
            "github.com", "140.82.121.4",
            "api.github.com", "140.82.121.6",
            "gitea.example.org", "93.184.216.34",
            "evil.example.net", "198.51.100.7",
            "intranet.example.org", "10.1.2.3",
            "rebind.example.org", "93.184.216.35,192.168.1.10",
            "metadata.example.org", "169.254.169.254");

    private static final HostResolver FIXED = host -> {
        String addresses = DNS.get(host);
        if (addresses == null) {
            try {
                // literals resolve without DNS
                return new InetAddress[] {InetAddress.getByName(host)};
            } catch (UnknownHostException e) {
                throw e;
            }
        }
        String[] parts = addresses.split(",");
        InetAddress[] all = new InetAddress[parts.length];
        for (int i = 0; i < parts.length; i++) {
            all[i] = InetAddress.getByName(parts[i]);
        }
        return all;
    };

    private final HostRules rules = new HostRules(Map.of(
            "github-token", new HostBinding(List.of("https://api.github.com"), List.of("github.com")),
            "gitea-token", new HostBinding(List.of("https://gitea.example.org/api/v1"), List.of("gitea.example.org"))),
            AccessAllowances.NONE, FIXED);

    @Test
    void aTokenBoundToGitHubIsRefusedForAnotherHostNamingTheBinding() {
        assertThatThrownBy(() -> rules.checkRegistration(Platform.GITHUB, "github-token",
                URI.create("https://evil.example.net/acme/docs.git"), "https://evil.example.net/api/v3"))
                .isInstanceOf(HostRuleViolation.class)
                .hasMessageContaining("token binding")
                .hasMessageContaining("drep.platform-access.bindings.github-token");
    }

    @Test
    void aTokenIsRefusedForAnApiOnItsHostButAnotherPort() {
        assertThatThrownBy(() -> rules.checkApiRequest("the API URL", "github-token", "https://api.github.com:8443/repos/a/b"))
                .hasMessageContaining("token binding");
    }

    @Test
    void aTokenIsRefusedForAGitHostItIsNotBoundTo() {
        assertThatThrownBy(() -> rules.checkGitFetch("the clone URL", "gitea-token", "https://github.com/acme/docs.git"))
                .hasMessageContaining("token binding").hasMessageContaining("git-hosts");
    }

    @Test
    void aTokenReferenceWithoutBindingIsRefusedNamingTheSettingsToSet() {
        assertThatThrownBy(() -> rules.checkApiRequest("the API URL", "gitlab-token", "https://gitlab.example.org/api/v4"))
                .hasMessageContaining("tokenRef 'gitlab-token' is bound to no host")
                .hasMessageContaining("drep.platform-access.bindings.gitlab-token.api-urls");
    }

    @Test
    void aFileUrlIsRefused() {
        assertThatThrownBy(() -> rules.checkRegistration(Platform.GITEA, null, URI.create("file:///srv/git/docs.git"),
                "https://gitea.example.org/api/v1"))
                .hasMessageContaining("no file URLs").hasMessageContaining("allow-file-urls");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/api/v1", "http://169.254.169.254/api/v1", "http://gitea.example.org/api/v1"})
    void plainHttpIsRefused(String apiUrl) {
        assertThatThrownBy(() -> rules.checkApiRequest("'apiUrl'", null, apiUrl))
                .hasMessageContaining("no plain http").hasMessageContaining("allow-plain-http");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/api/v1", "https://169.254.169.254/api/v1", "https://10.0.0.8/api/v1",
            "https://172.20.1.1/api/v1", "https://192.168.0.2/api/v1", "https://[fe80::1]/api/v1", "https://[fd12::1]/api/v1",
            "https://[::1]/api/v1", "https://intranet.example.org/api/v1", "https://metadata.example.org/api/v1",
            "https://localhost/api/v1", "https://0.0.0.0/api/v1", "https://[::ffff:127.0.0.1]/api/v1",
            "https://2130706433/api/v1"})
    void loopbackLinkLocalAndPrivateAddressesAreRefused(String apiUrl) {
        assertThatThrownBy(() -> rules.checkApiRequest("'apiUrl'", null, apiUrl))
                .hasMessageContaining("no private addresses").hasMessageContaining("allow-private-addresses");
    }

    @Test
    void everyAddressOfAHostIsChecked() {
        assertThatThrownBy(() -> rules.checkApiRequest("'apiUrl'", null, "https://rebind.example.org/api/v1"))
                .hasMessageContaining("192.168.1.10");
    }

    @Test
    void cloneAndApiOnDifferentHostsAreRefused() {
        assertThatThrownBy(() -> rules.checkRegistration(Platform.GITEA, null,
                URI.create("https://gitea.example.org/acme/docs.git"), "https://evil.example.net/api/v1"))
                .hasMessageContaining("same host");
    }

    @Test
    void gitHubOnItsOwnHostsPasses() {
        assertThatCode(() -> rules.checkRegistration(Platform.GITHUB, "github-token",
                URI.create("https://github.com/acme/docs.git"), "https://api.github.com")).doesNotThrowAnyException();
        assertThatCode(() -> rules.checkApiRequest("the request", "github-token",
                "https://api.github.com/repos/acme/docs/pulls/3")).doesNotThrowAnyException();
        assertThatCode(() -> rules.checkGitFetch("the clone URL", "github-token", "https://github.com/acme/docs.git"))
                .doesNotThrowAnyException();
    }

    @Test
    void anApiRootBoundWithItsPathCoversTheRootGivenWithoutIt() {
        // Gitea roots registered as https://host are used as https://host/api/v1
        assertThatCode(() -> rules.checkRegistration(Platform.GITEA, "gitea-token",
                URI.create("https://gitea.example.org/acme/docs.git"), "https://gitea.example.org"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> rules.checkApiRequest("the request", "gitea-token", "https://gitea.example.org/api/v1evil/x"))
                .hasMessageContaining("token binding");
    }

    @Test
    void allowancesLetLocalTestSetupsThrough() {
        HostRules local = new HostRules(Map.of("t", new HostBinding(List.of("http://127.0.0.1:4567"), List.of("127.0.0.1:4567"))),
                new AccessAllowances(true, true, true), FIXED);
        assertThatCode(() -> local.checkRegistration(Platform.GITEA, "t", URI.create("file:///tmp/repo"),
                "http://127.0.0.1:4567")).doesNotThrowAnyException();
        assertThatCode(() -> local.checkGitFetch("the clone URL", "t", "http://127.0.0.1:4567/acme/docs.git"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> local.checkGitFetch("the clone URL", "t", "http://127.0.0.1:4568/acme/docs.git"))
                .hasMessageContaining("token binding");
    }

    @Test
    void anAnswerOverTheLimitIsRefusedNamingTheSetting() throws Exception {
        assertThat(ResponseLimit.read(new ByteArrayInputStream(new byte[100]), 100, "GET x")).hasSize(100);
        assertThatThrownBy(() -> ResponseLimit.read(new ByteArrayInputStream(new byte[101]), 100, "GET x"))
                .hasMessageContaining("larger than 100 bytes").hasMessageContaining("max-response-size");
    }

    @Test
    void platformsKnowTheirAuthenticationHeadersAndApiRoots() {
        assertThat(Platform.GITEA.requestHeaders("t")).containsEntry("Authorization", "token t");
        assertThat(Platform.GITHUB.requestHeaders("t")).containsEntry("Authorization", "Bearer t");
        assertThat(Platform.GITLAB.requestHeaders("t")).containsEntry("PRIVATE-TOKEN", "t").doesNotContainKey("Authorization");
        assertThat(Platform.GITLAB.requestHeaders(null)).doesNotContainKey("PRIVATE-TOKEN");
        assertThat(Platform.GITEA.apiRoot("https://g.example/")).isEqualTo("https://g.example/api/v1");
        assertThat(Platform.GITEA.apiRoot("https://g.example/api/v1")).isEqualTo("https://g.example/api/v1");
        assertThat(Platform.GITHUB.defaultApiUrl(URI.create("https://github.com/a/b.git"))).isEqualTo("https://api.github.com");
        assertThat(Platform.GITHUB.defaultApiUrl(URI.create("https://ghe.example/a/b.git"))).isEqualTo("https://ghe.example/api/v3");
    }
}
