/**
 * README.md's Java snippets as code that compiles and runs against the fake control plane. Each snippet is a region
 * between {@code // readme:begin NAME} and {@code // readme:end NAME}; {@code ReadmeSnippetsTest} checks that README
 * shows exactly these regions, so README cannot drift from code that works.
 */
@NullMarked
package run.getstack.sdk.readme;

import org.jspecify.annotations.NullMarked;
