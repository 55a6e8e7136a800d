package dev.drep.scanner.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Where the sign-in form sends the browser afterwards: the dashboard's own pages, never anywhere else. */
class SignInTargetTest {

    @ParameterizedTest
    @ValueSource(strings = {"/dashboard", "/dashboard/jobs/3f1c2a9e-0d4b-4a55-9a0e-6f1d2b3c4d5e", "/dashboard/jobs/x_y-z~1"})
    void aDashboardPageIsKeptAsTheTarget(String then) {
        assertThat(SignInResource.safeTarget(then)).isEqualTo(then);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"https://evil.example/dashboard", "//evil.example/dashboard", "/\\evil.example",
            "/dashboard//evil.example", "/dashboard/\\evil.example", "/dashboard/../api/tokens", "/dashboard/./x",
            "http:/dashboard", "/dashboard@evil.example", "/dashboard.evil.example", "/dashboardx", "/api/jobs",
            "/dashboard/sign-in", "/dashboard/jobs?then=https://evil.example", "/dashboard/jobs#x",
            "/dashboard\r\nLocation: https://evil.example", "/dashboard/jobs/%2F%2Fevil.example", " /dashboard",
            "javascript:alert(1)", "/dashboard/jobs/a b"})
    void anythingElseLeadsToTheDashboardItself(String then) {
        assertThat(SignInResource.safeTarget(then)).isEqualTo("/dashboard");
    }
}
