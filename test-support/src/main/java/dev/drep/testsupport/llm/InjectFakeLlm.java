package dev.drep.testsupport.llm;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link FakeLlmServer} field of a {@code @QuarkusTest} class that {@link FakeLlmResource}
 * fills with a server it started: the gateway's {@code default} provider, or with a
 * {@link #value() name} one of the extra providers of {@link FakeLlmResource#ARG_EXTRA_PROVIDERS}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectFakeLlm {

    /** @return the provider name; empty for the gateway's {@code default} provider */
    String value() default "";
}
