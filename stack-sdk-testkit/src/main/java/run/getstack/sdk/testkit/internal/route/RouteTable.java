package run.getstack.sdk.testkit.internal.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.FakeRoute;
import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Json;

/**
 * Internal, not for public use. Every route of the fake, built once at start: a duplicate (same method and path
 * shape) fails there. Resolving a request finds its route and path parameters, or answers 405 (known path, wrong
 * method, with {@code Allow}) or 404 naming the method and path (with lease ids and secrets masked). Under
 * "STACK v1 only" the {@link RouteOrigin#EXTENSION} routes are left out of matching, so they answer exactly as an
 * unknown route does.
 */
public final class RouteTable {
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{1,128}$");

    private final List<Route> all;
    private final List<Route> active;

    /** A resolved route with its path parameters. */
    public record Match(Route route, List<String> params) {}

    /**
     * Builds the table.
     *
     * @param routes every route, in the order they are declared
     * @param stackV1Only whether extension routes are switched off
     * @throws IllegalStateException on a duplicate route
     */
    public RouteTable(List<Route> routes, boolean stackV1Only) {
        Map<String, Route> seen = new HashMap<>();
        for (Route r : routes) {
            Route before = seen.putIfAbsent(r.shape(), r);
            if (before != null) {
                throw new IllegalStateException(
                        "duplicate route " + r.method() + " " + r.pattern() + " (also " + before.pattern() + ")");
            }
        }
        this.all = List.copyOf(routes);
        this.active = stackV1Only
                ? routes.stream()
                        .filter(r -> r.origin() != RouteOrigin.EXTENSION)
                        .toList()
                : all;
    }

    /**
     * Every declared route, also those switched off.
     *
     * @return public descriptions in declaration order
     */
    public List<FakeRoute> describe() {
        return all.stream().map(Route::describe).toList();
    }

    private static @Nullable List<String> match(Route route, String[] segs) {
        List<String> pattern = route.segments();
        if (pattern.size() != segs.length) {
            return null;
        }
        List<String> params = new ArrayList<>();
        for (int i = 0; i < segs.length; i++) {
            String p = pattern.get(i);
            if (Route.isParam(p)) {
                params.add(segs[i]);
            } else if (!p.equals(segs[i])) {
                return null;
            }
        }
        return params;
    }

    /**
     * Finds the route of a request. A route without parameters wins over one with them (so {@code GET
     * /v1/agents/register} is 405, not "agent register not found").
     *
     * @param method upper-case method
     * @param path decoded path
     * @return the match
     */
    public Match resolve(String method, String path) {
        String[] segs = path.length() <= 1 ? new String[0] : path.substring(1).split("/", -1);
        Route found = null;
        List<String> params = List.of();
        Set<String> allowed = new LinkedHashSet<>();
        boolean literalMatched = false;
        for (Route route : active) {
            List<String> p = match(route, segs);
            if (p == null) {
                continue;
            }
            boolean literal = p.isEmpty();
            if (literalMatched && !literal) {
                continue;
            }
            if (literal && !literalMatched) {
                literalMatched = true;
                allowed.clear();
                found = null;
            }
            allowed.add(route.method());
            if (found == null && route.method().equals(method)) {
                found = route;
                params = p;
            }
        }
        if (found == null) {
            if (!allowed.isEmpty()) {
                throw new ApiError(
                        405,
                        "METHOD_NOT_ALLOWED",
                        "Method " + method + " not allowed",
                        null,
                        Map.of("Allow", String.join(", ", allowed)));
            }
            throw unknownRoute(method, path);
        }
        for (String p : params) {
            if (!ID.matcher(p).matches()) {
                throw ApiError.notFound("Resource");
            }
        }
        return new Match(found, params);
    }

    /**
     * 404 for a path no route serves; names method and (masked) path, so a wrong base URL reads differently from a
     * missing resource.
     *
     * @param method method
     * @param path path
     * @return the error
     */
    public static ApiError unknownRoute(String method, String path) {
        String safe = SafePath.of(path);
        var d = Json.object();
        d.put("reason", "unknown_route");
        d.put("method", method);
        d.put("path", safe);
        return new ApiError(404, "NOT_FOUND", "No route " + method + " " + safe + " (check the base URL)", d);
    }
}
