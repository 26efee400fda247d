package run.getstack.sdk.testkit.internal.state;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Internal, not for public use. The modules' services by type. Modules look each other up when a call needs them
 * (a cascade is a call on another module's service), so module order does not matter and no state is shared.
 */
public final class Services {
    private final Map<Class<?>, Object> byType = new LinkedHashMap<>();

    /**
     * Offers a service.
     *
     * @param type the type others look it up by
     * @param service the service
     * @param <T> type
     * @return the service
     * @throws IllegalStateException when the type is already provided
     */
    public synchronized <T> T provide(Class<T> type, T service) {
        if (byType.putIfAbsent(type, service) != null) {
            throw new IllegalStateException("two modules provide " + type.getName());
        }
        return service;
    }

    /**
     * A service.
     *
     * @param type its type
     * @param <T> type
     * @return the service
     * @throws IllegalStateException when no module provides it
     */
    public synchronized <T> T get(Class<T> type) {
        Object s = byType.get(type);
        if (s == null) {
            throw new IllegalStateException("no module provides " + type.getName());
        }
        return type.cast(s);
    }
}
