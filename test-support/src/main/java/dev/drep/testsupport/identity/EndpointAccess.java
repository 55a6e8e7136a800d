package dev.drep.testsupport.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The per-endpoint access check every service's test runs, driven by the service's own OpenAPI document so that a new
 * endpoint is checked without anyone listing it: every operation refuses anonymous callers (401) and callers without
 * its scope (403), and admits a caller with exactly its scope (anything but 401/403: dummy path values and empty
 * bodies may well be a 400 or 404). {@link #resourceMethods} finds the service's JAX-RS resource methods by reflection,
 * so that an endpoint missing from the document (hidden, or not scanned) cannot escape the check either.
 */
public final class EndpointAccess {
    /** What dummy path parameters are filled with: a well-formed id that names nothing. */
    public static final String DUMMY = "00000000-0000-0000-0000-000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

    /**
     * One operation of a document.
     *
     * @param method      upper-case HTTP method
     * @param path        the path template, e.g. {@code /api/jobs/{id}}
     * @param operationId its operationId, or null
     * @param scopes      the scopes of its security requirements (any one admits); empty when it has none
     * @param secured     whether it has a non-empty security requirement
     * @param hasBody     whether it takes a request body
     */
    public record Operation(String method, String path, String operationId, List<String> scopes, boolean secured,
            boolean hasBody) {
        /** @return {@code METHOD /path} */
        public String key() {
            return method + " " + path;
        }

        /** @return the path with every template parameter replaced by {@link #DUMMY} */
        public String concretePath() {
            return path.replaceAll("\\{[^}]+}", DUMMY);
        }

        @Override
        public String toString() {
            return key() + (operationId == null ? "" : " (" + operationId + ")");
        }
    }

    private EndpointAccess() {
    }

    /** @return the service's OpenAPI document, read as the test admin */
    public static JsonNode document() {
        String body = TestTokens.asAdmin().accept("application/json").when().get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString();
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("/q/openapi did not answer JSON: " + body, e);
        }
    }

    /** @return the document's operations, in document order */
    public static List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> entry = methods.next();
                String method = entry.getKey().toUpperCase();
                if (!HTTP_METHODS.contains(method)) {
                    continue;
                }
                JsonNode operation = entry.getValue();
                JsonNode security = operation.has("security") ? operation.get("security") : document.path("security");
                List<String> scopes = new ArrayList<>();
                boolean secured = false;
                for (JsonNode requirement : security) {
                    Iterator<Map.Entry<String, JsonNode>> schemes = requirement.fields();
                    while (schemes.hasNext()) {
                        secured = true;
                        schemes.next().getValue().forEach(scope -> scopes.add(scope.asText()));
                    }
                }
                operations.add(new Operation(method, path.getKey(),
                        operation.hasNonNull("operationId") ? operation.get("operationId").asText() : null,
                        List.copyOf(scopes), secured, operation.has("requestBody")));
            }
        }
        return operations;
    }

    /**
     * The JAX-RS resource methods of the service under test (its {@code target/classes}, which must hold
     * {@code anyServiceClass}): every concrete
     * class with {@code @Path} and its methods with an HTTP method annotation (REST client interfaces are left out).
     *
     * @return {@code METHOD /path} of each, path templates without their regular expressions
     */
    public static Set<String> resourceMethods(Class<?> anyServiceClass) {
        // the module's compiled classes (Maven runs tests in the module's folder); Quarkus' test class loader gives its
        // classes no code source to ask instead
        Path classes = Path.of("target/classes").toAbsolutePath();
        if (!Files.exists(classes.resolve(anyServiceClass.getName().replace('.', '/') + ".class"))) {
            throw new IllegalStateException(anyServiceClass.getName() + " is not in " + classes
                    + ": run the test from the service's module folder");
        }
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = classes.relativize(file).toString().replace('/', '.').replace('\\', '.');
                name = name.substring(0, name.length() - ".class".length());
                Class<?> type;
                try {
                    type = Class.forName(name, false, anyServiceClass.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                String classPath = pathOf(type.getAnnotations());
                if (classPath == null || type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
                    continue;
                }
                for (Method method : type.getMethods()) {
                    String http = httpMethod(method.getAnnotations());
                    if (http != null) {
                        String methodPath = pathOf(method.getAnnotations());
                        found.add(http + " " + join(classPath, methodPath));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static String httpMethod(Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            String type = annotation.annotationType().getName();
            if (type.startsWith("jakarta.ws.rs.") && HTTP_METHODS.contains(annotation.annotationType().getSimpleName())) {
                return annotation.annotationType().getSimpleName();
            }
        }
        return null;
    }

    private static String pathOf(Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            if (annotation.annotationType().getName().equals("jakarta.ws.rs.Path")) {
                try {
                    return (String) annotation.annotationType().getMethod("value").invoke(annotation);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }

    /** Joins class and method paths as JAX-RS does, dropping the regular expressions of templates. */
    static String join(String classPath, String methodPath) {
        String joined = "/" + classPath + (methodPath == null ? "" : "/" + methodPath);
        joined = joined.replaceAll("\\{\\s*([^}:\\s]+)\\s*(:[^}]*)?}", "{$1}").replaceAll("/{2,}", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    /**
     * Checks every secured operation: anonymous → 401, {@code tokenWithout} → 403, {@code tokenWith} → neither.
     *
     * @param operations   the operations to check (those of the document with a security requirement)
     * @param tokenWithout a token that has none of the operation's scopes (and not admin)
     * @param tokenWith    a token with exactly the first of the operation's scopes
     * @return every failure, one line each (empty when all hold)
     */
    public static List<String> check(List<Operation> operations, Function<Operation, String> tokenWithout,
            Function<Operation, String> tokenWith) {
        List<String> failures = new ArrayList<>();
        for (Operation operation : operations) {
            if (!operation.secured() || operation.scopes().isEmpty()) {
                failures.add(operation + ": no security requirement with a scope in the document");
                continue;
            }
            expect(failures, operation, "anonymous", call(TestTokens.anonymous(), operation), 401, true);
            expect(failures, operation, "a token without " + operation.scopes(),
                    call(TestTokens.as(tokenWithout.apply(operation)), operation), 403, true);
            expect(failures, operation, "a token with only " + operation.scopes().get(0),
                    call(TestTokens.as(tokenWith.apply(operation)), operation), 0, false);
        }
        return failures;
    }

    /**
     * A bearer token the service never issued is refused with 401 on every operation, and neither the answer's body nor
     * its headers contain it.
     *
     * @return every failure, one line each
     */
    public static List<String> checkRefusedTokensAreNotEchoed(List<Operation> operations) {
        List<String> failures = new ArrayList<>();
        String[] unknown = {"drep_never-issued-" + Long.toHexString(System.nanoTime()),
                "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJub2JvZHkifQ.not-a-signature-" + Long.toHexString(System.nanoTime())};
        for (Operation operation : operations) {
            if (!operation.secured()) {
                continue;
            }
            for (String token : unknown) {
                Response answer = call(TestTokens.as(token), operation);
                if (answer.statusCode() != 401) {
                    failures.add(operation + ": an unknown token got " + answer.statusCode() + ", not 401");
                }
                if (answer.asString().contains(token) || answer.getHeaders().asList().stream()
                        .anyMatch(h -> h.getValue().contains(token))) {
                    failures.add(operation + ": the answer to an unknown token contains the token");
                }
            }
        }
        return failures;
    }

    private static void expect(List<String> failures, Operation operation, String who, Response answer, int status,
            boolean exact) {
        int got = answer.statusCode();
        boolean ok = exact ? got == status : got != 401 && got != 403;
        if (!ok) {
            failures.add(operation + " as " + who + ": got " + got + (exact ? ", expected " + status : ", expected neither 401 "
                    + "nor 403") + ": " + abbreviate(answer.asString()));
        }
    }

    /** @return the operation called with dummy path values and, where it takes a body, an empty JSON object */
    public static Response call(RequestSpecification request, Operation operation) {
        RequestSpecification spec = request.accept("application/json").redirects().follow(false);
        if (operation.hasBody()) {
            spec = spec.contentType("application/json").body("{}");
        }
        return spec.when().request(operation.method(), operation.concretePath());
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
