package dev.drep.publisher.platform;

import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The platform adapters by name. */
@ApplicationScoped
public class Platforms {
    private final Map<String, ReviewPlatform> byName;

    public Platforms(@All List<ReviewPlatform> platforms) {
        this.byName = platforms.stream().collect(Collectors.toMap(ReviewPlatform::name, p -> p, (a, b) -> a,
                TreeMap::new));
    }

    /**
     * @return the adapter for {@code name}
     * @throws PlatformException ({@link PlatformException.Kind#FAILED}) naming the supported platforms
     */
    public ReviewPlatform get(String name) {
        ReviewPlatform platform = name == null ? null : byName.get(name);
        if (platform == null) {
            throw PlatformException.failed("unsupported platform '" + name + "': expected one of "
                    + String.join(", ", byName.keySet()));
        }
        return platform;
    }

    /** @return true when {@code name} is a supported platform */
    public boolean supports(String name) {
        return name != null && byName.containsKey(name);
    }
}
