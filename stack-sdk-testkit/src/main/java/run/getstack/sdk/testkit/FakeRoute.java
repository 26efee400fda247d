package run.getstack.sdk.testkit;

import java.util.Objects;

/**
 * One route the fake serves: method, path pattern (parameters in braces, e.g. {@code /v1/leases/{id}}) and origin.
 *
 * @param method HTTP method, upper case
 * @param path path pattern
 * @param origin where the route comes from
 */
public record FakeRoute(String method, String path, RouteOrigin origin) {
    /**
     * Creates a route description.
     *
     * @param method HTTP method, upper case
     * @param path path pattern
     * @param origin where the route comes from
     */
    public FakeRoute {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(origin, "origin");
    }

    @Override
    public String toString() {
        return method + " " + path + " [" + origin + "]";
    }
}
