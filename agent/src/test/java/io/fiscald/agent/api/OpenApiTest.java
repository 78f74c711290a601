package io.fiscald.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document is well-formed, served as kept in the repo, and names exactly the implemented routes. */
class OpenApiTest {
  @TempDir Path tmp;

  static JsonNode resource() throws Exception {
    try (InputStream in = ApiRoutes.class.getResourceAsStream(ApiRoutes.OPENAPI_RESOURCE)) {
      return ApiClient.JSON.readTree(in);
    }
  }

  @Test
  void theDocumentMatchesTheRoutesTheServerImplements() throws Exception {
    try (ApiFixture f = new ApiFixture(tmp)) {
      JsonNode served = f.client.get("/v1/openapi.json", null).json();
      assertThat(served).isEqualTo(resource());
      TreeSet<String> documented = new TreeSet<>();
      for (Iterator<Map.Entry<String, JsonNode>> p = served.path("paths").fields(); p.hasNext(); ) {
        Map.Entry<String, JsonNode> path = p.next();
        path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path.getKey()));
      }
      assertThat(documented).isEqualTo(new TreeSet<>(f.daemon.server().routeSignatures()));
    }
  }

  @Test
  void theRepositoryCopyIsTheServedFile() throws Exception {
    Path repo = Path.of("").toAbsolutePath();
    while (repo != null && !Files.isDirectory(repo.resolve("docs"))) {
      repo = repo.getParent();
    }
    assertThat(repo).as("repository root").isNotNull();
    assertThat(ApiClient.JSON.readTree(Files.readAllBytes(repo.resolve("docs/openapi.json")))).isEqualTo(resource());
  }

  @Test
  void theDocumentValidatesAsOpenApi3() throws Exception {
    JsonNode doc = resource();
    assertThat(doc.path("openapi").asText()).matches("3\\.[01]\\.\\d+");
    assertThat(doc.path("info").path("title").isTextual()).isTrue();
    assertThat(doc.path("info").path("version").isTextual()).isTrue();
    List<String> problems = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> p = doc.path("paths").fields(); p.hasNext(); ) {
      Map.Entry<String, JsonNode> path = p.next();
      if (!path.getKey().startsWith("/")) {
        problems.add(path.getKey() + ": paths start with /");
      }
      for (Iterator<Map.Entry<String, JsonNode>> o = path.getValue().fields(); o.hasNext(); ) {
        Map.Entry<String, JsonNode> op = o.next();
        if (!List.of("get", "post", "put", "delete", "patch").contains(op.getKey())) {
          problems.add(path.getKey() + ": unknown method " + op.getKey());
        }
        if (!op.getValue().path("responses").isObject() || op.getValue().path("responses").isEmpty()) {
          problems.add(op.getKey() + " " + path.getKey() + ": no responses");
        }
        op.getValue().path("responses").fieldNames().forEachRemaining(code -> {
          if (!code.matches("[1-5][0-9][0-9]|default")) {
            problems.add(op.getKey() + " " + path.getKey() + ": bad status " + code);
          }
        });
        // every {param} of the template is declared as a path parameter
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(\\w+)}").matcher(path.getKey());
        while (m.find()) {
          String name = m.group(1);
          boolean declared = false;
          for (JsonNode param : op.getValue().path("parameters")) {
            declared |= name.equals(param.path("name").asText()) && "path".equals(param.path("in").asText());
          }
          if (!declared) {
            problems.add(op.getKey() + " " + path.getKey() + ": path parameter " + name + " not declared");
          }
        }
      }
    }
    checkRefs(doc, doc, problems);
    assertThat(problems).isEmpty();
  }

  private static void checkRefs(JsonNode root, JsonNode node, List<String> problems) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null) {
        JsonNode target = root.at(ref.asText().substring(1));
        if (!ref.asText().startsWith("#/") || target.isMissingNode()) {
          problems.add("dangling $ref " + ref.asText());
        }
      }
      node.elements().forEachRemaining(c -> checkRefs(root, c, problems));
    } else if (node.isArray()) {
      node.forEach(c -> checkRefs(root, c, problems));
    }
  }
}
