package dev.drep.gateway.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer of {@code GET /v1/models}, in OpenAI's format.
 *
 * @param object always {@code list}
 * @param data   one entry per alias
 */
public record ModelList(String object, List<Model> data) {

    /**
     * One model alias.
     *
     * @param id      the alias clients send as {@code model}
     * @param object  always {@code model}
     * @param created when the alias was loaded, in Unix seconds
     * @param ownedBy always {@code drep}
     */
    public record Model(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {
    }
}
