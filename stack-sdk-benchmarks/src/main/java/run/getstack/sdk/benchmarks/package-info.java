/**
 * JMH benchmarks of the SDK's hot paths. Build with {@code ./mvnw -pl stack-sdk-benchmarks -am package} and run
 * {@code java -jar stack-sdk-benchmarks/target/benchmarks.jar}.
 */
@NullMarked
package run.getstack.sdk.benchmarks;

import org.jspecify.annotations.NullMarked;
