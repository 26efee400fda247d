package run.getstack.sdk.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Keeps README.md honest: every Java snippet is a region of compiled, tested code in this package, the agent
 * {@code pom.xml} it shows matches the versions this project is built with, and its commands are the quiet ones.
 */
class ReadmeSnippetsTest {
    private static final Pattern MARKER = Pattern.compile("<!-- readme:([a-z0-9-]+) -->");
    private static final Pattern REGION = Pattern.compile(
            "(?m)^[ \\t]*// readme:begin ([a-z0-9-]+)\\n(.*?)^[ \\t]*// readme:end \\1$", Pattern.DOTALL);

    static Path root;
    static String readme;

    @BeforeAll
    static void read() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve("mvnw")))) {
            dir = dir.getParent();
        }
        assertThat(dir)
                .as("the repository root (README.md and mvnw) above the working directory")
                .isNotNull();
        root = dir;
        readme = Files.readString(dir.resolve("README.md"), StandardCharsets.UTF_8);
    }

    @Test
    void everyJavaSnippetInTheReadmeIsARegionOfTestedCodeAndEveryRegionIsShown() throws IOException {
        Map<String, String> shown = markedBlocks(readme, "java");
        Map<String, String> regions = regions();

        assertThat(fences(readme, "java"))
                .as("every ```java block in README.md is marked <!-- readme:NAME -->")
                .hasSameSizeAs(shown.values());
        assertThat(shown.keySet()).as("snippets shown in README").isEqualTo(regions.keySet());
        shown.forEach((name, text) -> assertThat(text)
                .as("README snippet '%s' against its region in the test sources", name)
                .isEqualTo(regions.get(name)));
    }

    @Test
    void theReadmeSaysToInstallFirstThenShowsACompleteAgentPomOnTheVersionsThisProjectUses() throws Exception {
        String useIt = section("## Use it");
        String install = "./mvnw -B -ntp install -DskipTests";
        assertThat(useIt).contains(install);
        assertThat(useIt.indexOf(install)).as("install comes before the pom").isLessThan(useIt.indexOf("<project"));

        Document pom = parse(markedBlocks(readme, "xml").get("agent-pom"));
        Document parent = parse(Files.readString(root.resolve("pom.xml"), StandardCharsets.UTF_8));
        String version = text(parent.getDocumentElement(), "version");

        assertThat(text(pom.getDocumentElement(), "modelVersion")).isEqualTo("4.0.0");
        assertThat(property(pom, "maven.compiler.release")).isEqualTo(property(parent, "maven.compiler.release"));
        assertThat(dependency(pom, "run.getstack", "stack-sdk-bom"))
                .containsEntry("version", version)
                .containsEntry("type", "pom")
                .containsEntry("scope", "import");
        assertThat(dependency(pom, "org.junit", "junit-bom"))
                .containsEntry("version", property(parent, "junit.version"))
                .containsEntry("scope", "import");
        assertThat(dependency(pom, "run.getstack", "stack-sdk-core")).doesNotContainKey("scope");
        assertThat(dependency(pom, "org.slf4j", "slf4j-simple"))
                .containsEntry("version", property(parent, "slf4j.version"))
                .containsEntry("scope", "runtime");
        assertThat(dependency(pom, "run.getstack", "stack-sdk-testkit")).containsEntry("scope", "test");
        assertThat(dependency(pom, "org.junit.jupiter", "junit-jupiter")).containsEntry("scope", "test");
        assertThat(dependency(pom, "org.assertj", "assertj-core"))
                .containsEntry("version", property(parent, "assertj.version"))
                .containsEntry("scope", "test");
        for (String plugin : List.of("maven-compiler-plugin", "maven-surefire-plugin")) {
            assertThat(plugin(pom, plugin)).as(plugin).isEqualTo(plugin(parent, plugin));
        }
    }

    @Test
    void everyMavenCommandInTheReadmesIsQuietAndTheSampleSaysWhatItIsDoingBeforeTheSilentBuild() throws IOException {
        List<String> commands = new ArrayList<>();
        for (Path doc : List.of(root.resolve("README.md"), root.resolve("samples/quickstart/README.md"))) {
            String text = Files.readString(doc, StandardCharsets.UTF_8);
            for (String lang : List.of("bash", "sh")) {
                for (String block : fences(text, lang)) {
                    block.lines().filter(l -> l.contains("./mvnw ")).forEach(commands::add);
                }
            }
        }
        assertThat(commands).isNotEmpty().allSatisfy(c -> assertThat(c).contains(" -ntp"));
        assertThat(commands)
                .filteredOn(c -> c.contains(" -q ") && c.contains("exec:java"))
                .as("the quiet sample command prints a line first, in the same command")
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c).matches("echo \"[^\"]+\" && \\./mvnw .*"));
    }

    @Test
    void theSecurityModelSaysWhichKeyAnAgentHoldsWhatABlockDoesAndWhyPassportsAreShort() {
        String model = section("### Security model");
        assertThat(model)
                .contains("`sk_live_op_", "every stored credential", "agentKeyFile", "agent key mode")
                .contains("`passport_blocked`", "/unblock", "StackPassportRevokedException", "PASSPORT_BLOCKED")
                .contains("checkpoint interval", "a 15-minute request gives a 5-minute");
        String agent = markedBlocks(readme, "java").get("agent");
        assertThat(agent).contains(".agentKeyFile(").doesNotContain(".apiKey(");
    }

    private static String section(String heading) {
        int start = readme.indexOf("\n" + heading + "\n");
        assertThat(start).as("README section %s", heading).isNotNegative();
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = readme.indexOf("\n" + level, start + heading.length() + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** The contents of every ```lang block. */
    private static List<String> fences(String text, String lang) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?ms)^```" + lang + "\\n(.*?)^```$").matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Blocks of {@code lang} preceded directly by a marker line, by marker name. */
    private static Map<String, String> markedBlocks(String text, String lang) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?ms)^<!-- readme:([a-z0-9-]+) -->\\n```" + lang + "\\n(.*?)^```$")
                .matcher(text);
        while (m.find()) {
            assertThat(out.put(m.group(1), m.group(2)))
                    .as("marker %s used twice", m.group(1))
                    .isNull();
        }
        Matcher any = MARKER.matcher(text);
        while (any.find()) {
            assertThat(text.substring(any.end()).startsWith("\n```"))
                    .as("marker %s is directly followed by a code block", any.group(1))
                    .isTrue();
        }
        return out;
    }

    /** Every marked region of this package's sources, indentation removed, by name. */
    private static Map<String, String> regions() throws IOException {
        Path dir = root.resolve("stack-sdk-core/src/test/java/run/getstack/sdk/readme");
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String source = Files.readString(file, StandardCharsets.UTF_8);
                Matcher m = REGION.matcher(source);
                while (m.find()) {
                    assertThat(out.put(m.group(1), dedent(m.group(2))))
                            .as("region %s defined twice", m.group(1))
                            .isNull();
                }
            }
        }
        return out;
    }

    /** Removes the indentation common to the non-blank lines. */
    private static String dedent(String block) {
        List<String> lines = block.lines().toList();
        int indent = lines.stream()
                .filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        DocumentBuilder b = f.newDocumentBuilder();
        return b.parse(new InputSource(new StringReader(xml)));
    }

    private static String property(Document pom, String name) {
        Element properties = child(pom.getDocumentElement(), "properties");
        return text(properties, name);
    }

    private static Map<String, String> dependency(Document pom, String groupId, String artifactId) {
        NodeList all = pom.getElementsByTagName("dependency");
        for (int i = 0; i < all.getLength(); i++) {
            Element d = (Element) all.item(i);
            if (groupId.equals(text(d, "groupId")) && artifactId.equals(text(d, "artifactId"))) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (Node n = d.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element e) {
                        fields.put(e.getTagName(), e.getTextContent().trim());
                    }
                }
                return fields;
            }
        }
        throw new AssertionError("no dependency " + groupId + ":" + artifactId);
    }

    private static String plugin(Document pom, String artifactId) {
        NodeList all = pom.getElementsByTagName("plugin");
        for (int i = 0; i < all.getLength(); i++) {
            Element p = (Element) all.item(i);
            if (artifactId.equals(text(p, "artifactId")) && child(p, "version") != null) {
                return text(p, "version");
            }
        }
        throw new AssertionError("no plugin version for " + artifactId);
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        if (e == null) {
            throw new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">");
        }
        return e.getTextContent().trim();
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }
}
