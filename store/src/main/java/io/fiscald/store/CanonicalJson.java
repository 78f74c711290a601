package io.fiscald.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.MapperFeature;

/**
 * The canonical JSON of journal payloads: object keys sorted, no insignificant whitespace, numbers
 * as written (money is integer minor units, so no float ever reaches it), UTF-8.
 */
public final class CanonicalJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .build();

  private CanonicalJson() {}

  public static String write(Object value) {
    try {
      // through a tree so nested maps and POJOs are sorted alike
      JsonNode tree = MAPPER.valueToTree(value);
      return MAPPER.writeValueAsString(sort(tree));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new StoreException("cannot encode journal payload: " + e.getMessage(), e);
    }
  }

  public static JsonNode read(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new StoreException("stored JSON is not readable: " + e.getOriginalMessage(), e);
    }
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static JsonNode sort(JsonNode node) {
    if (node.isObject()) {
      var sorted = MAPPER.createObjectNode();
      var names = new java.util.TreeSet<String>();
      node.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        sorted.set(name, sort(node.get(name)));
      }
      return sorted;
    }
    if (node.isArray()) {
      var array = MAPPER.createArrayNode();
      node.forEach(child -> array.add(sort(child)));
      return array;
    }
    return node;
  }
}
