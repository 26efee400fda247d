package run.getstack.sdk.testkit.internal.services;

import java.util.List;

/**
 * Internal, not for public use. A service in the catalog.
 *
 * @param id {@code svc_…}
 * @param provider slug
 * @param name display name
 * @param authType {@code oauth}, {@code api_key} or {@code multi_field}
 * @param fields multi-field names
 */
public record CatalogService(String id, String provider, String name, String authType, List<String> fields) {}
