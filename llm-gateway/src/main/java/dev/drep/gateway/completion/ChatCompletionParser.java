package dev.drep.gateway.completion;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drep.gateway.error.GatewayException;
import dev.drep.gateway.provider.GenerationParameters;
import dev.drep.gateway.provider.ProviderMessage;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads an OpenAI chat-completion request body and validates it, naming the exact field at fault
 * in every 400 (e.g. {@code messages[2].content}). The body is parsed here rather than bound by
 * the framework so that every mistake gets that precise answer in OpenAI's error shape.
 *
 * <p>Unknown fields are ignored, as OpenAI clients send many optional ones. {@code tools}, {@code tool_choice},
 * {@code parallel_tool_calls}, {@code response_format} of type {@code json_schema}, {@code n}, {@code logprobs}
 * and {@code top_logprobs} are checked for their JSON type only and passed through to the provider as sent (it
 * knows their rules better than the gateway); the deprecated {@code functions}/{@code function_call} are refused
 * with a pointer to {@code tools}, rather than silently dropped.
 */
@ApplicationScoped
public class ChatCompletionParser {

    private static final Set<String> UNSUPPORTED_FIELDS = Set.of("functions", "function_call");

    private final ObjectMapper objectMapper;

    /**
     * @param objectMapper Quarkus' configured Jackson mapper
     */
    public ChatCompletionParser(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    /**
     * @param body the raw request body
     * @return the validated request
     * @throws GatewayException 400 naming the field at fault
     */
    public CompletionCommand parse(String body) {
        if (body == null || body.isBlank()) {
            throw GatewayException.invalidRequest(null, "invalid_json",
                    "The request body is empty; send a JSON chat-completion request with 'model' and 'messages'.");
        }
        JsonNode root;
        try {
            root = objectMapper.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw GatewayException.invalidRequest(null, "invalid_json", "The request body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                    + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw GatewayException.invalidRequest(null, "invalid_json", "The request body must be a JSON object.");
        }
        for (String field : UNSUPPORTED_FIELDS) {
            if (present(root, field)) {
                throw GatewayException.invalidRequest(field, "unsupported_parameter",
                        "'" + field + "' is deprecated by OpenAI and not supported; send 'tools' and 'tool_choice'.");
            }
        }
        boolean stream = optionalBoolean(root, "stream");
        boolean includeUsage = false;
        if (present(root, "stream_options")) {
            JsonNode options = root.get("stream_options");
            if (!options.isObject()) {
                throw GatewayException.invalidRequest("stream_options", "invalid_type",
                        "'stream_options' must be an object, e.g. {\"include_usage\": true}.");
            }
            includeUsage = optionalBoolean(options, "include_usage", "stream_options.include_usage");
        }
        String model = requiredString(root, "model");
        List<ProviderMessage> messages = messages(root);
        return new CompletionCommand(model, messages, parameters(root), stream, includeUsage);
    }

    private static List<ProviderMessage> messages(JsonNode root) {
        JsonNode node = root.get("messages");
        if (node == null || node.isNull()) {
            throw GatewayException.invalidRequest("messages", "missing_required_parameter",
                    "Missing required parameter 'messages': a list of {role, content} objects.");
        }
        if (!node.isArray()) {
            throw GatewayException.invalidRequest("messages", "invalid_type",
                    "'messages' must be an array of {role, content} objects.");
        }
        if (node.isEmpty()) {
            throw GatewayException.invalidRequest("messages", "empty_array",
                    "'messages' must contain at least one message.");
        }
        List<ProviderMessage> messages = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            messages.add(message(node.get(i), "messages[" + i + "]"));
        }
        return messages;
    }

    private static ProviderMessage message(JsonNode node, String path) {
        if (!node.isObject()) {
            throw GatewayException.invalidRequest(path, "invalid_type", "'" + path + "' must be an object with 'role' and 'content'.");
        }
        String role = requiredString(node, "role", path + ".role");
        ProviderMessage.Role parsedRole = switch (role.toLowerCase(Locale.ROOT)) {
            case "system", "developer" -> ProviderMessage.Role.SYSTEM;
            case "user" -> ProviderMessage.Role.USER;
            case "assistant" -> ProviderMessage.Role.ASSISTANT;
            case "tool" -> ProviderMessage.Role.TOOL;
            case "function" -> throw GatewayException.invalidRequest(path + ".role", "unsupported_role",
                    "'" + path + ".role' 'function' is deprecated by OpenAI and not supported; answer tool calls "
                            + "with role 'tool' and 'tool_call_id'.");
            default -> throw GatewayException.invalidRequest(path + ".role", "invalid_value",
                    "'" + path + ".role' must be one of system, developer, user, assistant, tool.");
        };
        String name = optionalString(node, "name", path + ".name");
        JsonNode toolCalls = null;
        if (parsedRole == ProviderMessage.Role.ASSISTANT && present(node, "tool_calls")) {
            toolCalls = node.get("tool_calls");
            if (!toolCalls.isArray() || toolCalls.isEmpty()) {
                throw GatewayException.invalidRequest(path + ".tool_calls", "invalid_type",
                        "'" + path + ".tool_calls' must be a non-empty array of tool calls.");
            }
            // An assistant turn that only called tools has no text.
            JsonNode content = node.get("content");
            if (content == null || content.isNull() || content.isTextual() && content.asText().isEmpty()) {
                return new ProviderMessage(parsedRole, null, name, toolCalls, null);
            }
        }
        String toolCallId = null;
        if (parsedRole == ProviderMessage.Role.TOOL) {
            toolCallId = requiredString(node, "tool_call_id", path + ".tool_call_id");
        }
        String content = content(node.get("content"), path + ".content");
        return new ProviderMessage(parsedRole, content, name, toolCalls, toolCallId);
    }

    private static String content(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            throw GatewayException.invalidRequest(path, "missing_required_parameter",
                    "Missing required parameter '" + path + "'.");
        }
        String text;
        if (node.isTextual()) {
            text = node.asText();
        } else if (node.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < node.size(); i++) {
                JsonNode part = node.get(i);
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw GatewayException.invalidRequest(path + "[" + i + "]", "unsupported_content",
                            "'" + path + "[" + i + "]' must be a text part {\"type\":\"text\",\"text\":\"...\"}; "
                                    + "other content is not supported yet.");
                }
                joined.append(part.get("text").asText());
            }
            text = joined.toString();
        } else {
            throw GatewayException.invalidRequest(path, "invalid_type",
                    "'" + path + "' must be a string or an array of text parts.");
        }
        if (text.isBlank()) {
            throw GatewayException.invalidRequest(path, "invalid_value", "'" + path + "' must not be empty.");
        }
        return text;
    }

    private static GenerationParameters parameters(JsonNode root) {
        ObjectNode passThrough = JsonNodeFactory.instance.objectNode();
        passThrough(root, passThrough, "tools", JsonNode::isArray, "an array of tools");
        passThrough(root, passThrough, "tool_choice", node -> node.isTextual() || node.isObject(),
                "'none', 'auto', 'required' or an object naming a function");
        passThrough(root, passThrough, "parallel_tool_calls", JsonNode::isBoolean, "a boolean");
        if (present(root, "response_format") && "json_schema".equals(root.get("response_format").path("type")
                .asText())) {
            if (!root.get("response_format").path("json_schema").isObject()) {
                throw GatewayException.invalidRequest("response_format.json_schema", "missing_required_parameter",
                        "'response_format.json_schema' must be an object with 'name' and 'schema'.");
            }
            passThrough.set("response_format", root.get("response_format"));
        }
        passThrough(root, passThrough, "n", node -> node.isIntegralNumber() && node.canConvertToInt()
                && node.asInt() >= 1, "an integer of at least 1");
        passThrough(root, passThrough, "logprobs", JsonNode::isBoolean, "a boolean");
        passThrough(root, passThrough, "top_logprobs", node -> node.isIntegralNumber() && node.canConvertToInt()
                && node.asInt() >= 0, "an integer of at least 0");
        return new GenerationParameters(
                optionalNumber(root, "temperature"),
                optionalNumber(root, "top_p"),
                optionalPositiveInt(root, "max_tokens"),
                optionalPositiveInt(root, "max_completion_tokens"),
                stop(root),
                optionalNumber(root, "presence_penalty"),
                optionalNumber(root, "frequency_penalty"),
                optionalInt(root, "seed"),
                jsonObject(root),
                optionalString(root, "user", "user"),
                passThrough);
    }

    private static void passThrough(JsonNode root, ObjectNode into, String field,
            java.util.function.Predicate<JsonNode> valid, String what) {
        if (!present(root, field)) {
            return;
        }
        if (!valid.test(root.get(field))) {
            throw GatewayException.invalidRequest(field, "invalid_type", "'" + field + "' must be " + what + ".");
        }
        into.set(field, root.get(field));
    }

    private static boolean optionalBoolean(JsonNode node, String field) {
        return optionalBoolean(node, field, field);
    }

    private static boolean optionalBoolean(JsonNode node, String field, String path) {
        if (!present(node, field)) {
            return false;
        }
        if (!node.get(field).isBoolean()) {
            throw GatewayException.invalidRequest(path, "invalid_type", "'" + path + "' must be true or false.");
        }
        return node.get(field).asBoolean();
    }

    private static List<String> stop(JsonNode root) {
        if (!present(root, "stop")) {
            return List.of();
        }
        JsonNode node = root.get("stop");
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (node.isArray()) {
            List<String> stop = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                if (!node.get(i).isTextual()) {
                    throw GatewayException.invalidRequest("stop[" + i + "]", "invalid_type",
                            "'stop[" + i + "]' must be a string.");
                }
                stop.add(node.get(i).asText());
            }
            return stop;
        }
        throw GatewayException.invalidRequest("stop", "invalid_type", "'stop' must be a string or an array of strings.");
    }

    private static boolean jsonObject(JsonNode root) {
        if (!present(root, "response_format")) {
            return false;
        }
        String type = root.get("response_format").path("type").asText("");
        return switch (type) {
            case "text", "json_schema" -> false;
            case "json_object" -> true;
            default -> throw GatewayException.invalidRequest("response_format.type", "invalid_value",
                    "'response_format.type' must be text, json_object or json_schema.");
        };
    }

    private static boolean present(JsonNode node, String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    private static String requiredString(JsonNode node, String field) {
        return requiredString(node, field, field);
    }

    private static String requiredString(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw GatewayException.invalidRequest(path, "missing_required_parameter",
                    "Missing required parameter '" + path + "'.");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw GatewayException.invalidRequest(path, "invalid_type", "'" + path + "' must be a non-empty string.");
        }
        return value.asText();
    }

    private static String optionalString(JsonNode node, String field, String path) {
        if (!present(node, field)) {
            return null;
        }
        if (!node.get(field).isTextual()) {
            throw GatewayException.invalidRequest(path, "invalid_type", "'" + path + "' must be a string.");
        }
        return node.get(field).asText();
    }

    private static Double optionalNumber(JsonNode node, String field) {
        if (!present(node, field)) {
            return null;
        }
        if (!node.get(field).isNumber()) {
            throw GatewayException.invalidRequest(field, "invalid_type", "'" + field + "' must be a number.");
        }
        return node.get(field).asDouble();
    }

    private static Integer optionalInt(JsonNode node, String field) {
        if (!present(node, field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw GatewayException.invalidRequest(field, "invalid_type", "'" + field + "' must be an integer.");
        }
        return value.asInt();
    }

    private static Integer optionalPositiveInt(JsonNode node, String field) {
        Integer value = optionalInt(node, field);
        if (value != null && value < 1) {
            throw GatewayException.invalidRequest(field, "invalid_value", "'" + field + "' must be at least 1.");
        }
        return value;
    }
}
