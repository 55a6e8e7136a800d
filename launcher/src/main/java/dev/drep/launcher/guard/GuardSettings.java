package dev.drep.launcher.guard;

import dev.drep.launcher.LauncherException;
import dev.drep.launcher.stack.AdminTokenFile;
import dev.drep.launcher.stack.DataFolder;
import dev.drep.launcher.LauncherEnvironment;
import java.net.URI;
import java.util.Locale;

/**
 * What the guard takes from environment variables.
 *
 * @param apiUrl            {@value #URL}: the scanner's base URL, default {@value #DEFAULT_URL}
 * @param holder            {@value #HOLDER}, else null (then git's {@code user.email} is used)
 * @param repository        {@value #REPOSITORY}, else null (then the key is derived from the repository)
 * @param warnOnly          {@value #MODE}{@code =warn}: print conflicts but let the commit through
 * @param bypass            {@value #BYPASS}{@code =1}: skip the check entirely
 * @param blockUnreachable  {@value #ON_UNREACHABLE}{@code =block}: refuse when the API cannot be asked
 * @param problems          notes on values that were not understood (the default was used instead)
 * @param token             {@value #TOKEN}, else the admin token of the {@code drep up} stack of this machine's data
 *                          folder, else null (the scanner will refuse the check)
 */
record GuardSettings(URI apiUrl, String holder, String repository, boolean warnOnly, boolean bypass,
        boolean blockUnreachable, java.util.List<String> problems, String token) {
    static final String TOKEN = "DREP_TOKEN";
    static final String URL = "DREP_URL";
    static final String HOLDER = "DREP_HOLDER";
    static final String REPOSITORY = "DREP_REPOSITORY";
    static final String MODE = "DREP_GUARD_MODE";
    static final String BYPASS = "DREP_GUARD_BYPASS";
    static final String ON_UNREACHABLE = "DREP_GUARD_ON_UNREACHABLE";
    static final String DEFAULT_URL = "http://127.0.0.1:8081";

    /** Reads the variables of {@code env}; {@code warnFlag} is the {@code --warn} option. */
    static GuardSettings from(LauncherEnvironment env, boolean warnFlag) {
        java.util.List<String> problems = new java.util.ArrayList<>();
        String url = env.variable(URL);
        URI apiUrl;
        try {
            apiUrl = URI.create(url == null ? DEFAULT_URL : url.strip().replaceAll("/+$", ""));
            if (apiUrl.getScheme() == null || apiUrl.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
        } catch (IllegalArgumentException e) {
            problems.add(URL + "='" + url + "' is not an http(s) URL; using " + DEFAULT_URL);
            apiUrl = URI.create(DEFAULT_URL);
        }
        String mode = lower(env.variable(MODE));
        boolean warn = warnFlag;
        if (mode != null) {
            switch (mode) {
                case "warn" -> warn = true;
                case "block" -> { }
                default -> problems.add(MODE + "='" + env.variable(MODE) + "' is neither 'block' nor 'warn'; blocking");
            }
        }
        String unreachable = lower(env.variable(ON_UNREACHABLE));
        boolean blockUnreachable = false;
        if (unreachable != null) {
            switch (unreachable) {
                case "block" -> blockUnreachable = true;
                case "allow", "warn" -> { }
                default -> problems.add(ON_UNREACHABLE + "='" + env.variable(ON_UNREACHABLE)
                        + "' is neither 'block' nor 'allow'; allowing");
            }
        }
        String bypassValue = lower(env.variable(BYPASS));
        boolean bypass = bypassValue != null && !bypassValue.equals("0") && !bypassValue.equals("false")
                && !bypassValue.equals("no");
        return new GuardSettings(apiUrl, env.variable(HOLDER), env.variable(REPOSITORY), warn, bypass, blockUnreachable,
                java.util.List.copyOf(problems), token(env));
    }

    private static String token(LauncherEnvironment env) {
        String given = env.variable(TOKEN);
        if (given != null && !given.isBlank()) {
            return given.strip();
        }
        try {
            return AdminTokenFile.read(DataFolder.resolve(null, env));
        } catch (LauncherException noLocalStack) {
            return null;
        }
    }

    private static String lower(String value) {
        return value == null ? null : value.strip().toLowerCase(Locale.ROOT);
    }
}
