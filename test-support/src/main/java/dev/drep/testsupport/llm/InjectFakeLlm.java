package dev.drep.testsupport.llm;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link FakeLlmServer} field of a {@code @QuarkusTest} class that {@link FakeLlmResource}
 * fills with the server it started.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectFakeLlm {
}
